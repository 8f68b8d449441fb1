using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ItDrift.Tbm.Benchmarks.RunBenchmarks).Assembly).Run(args);
