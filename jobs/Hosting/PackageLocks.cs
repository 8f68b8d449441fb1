using System.Security.Cryptography;
using System.Text;
using ItDrift.Tbm.Runs;
using Npgsql;

namespace ItDrift.Tbm.Jobs.Hosting;

/// <summary>One recalculation of a package at a time, across every worker that shares the queue.</summary>
internal interface IPackageLocks
{
    /// <summary>Waits for and takes the package's lock; disposing releases it.</summary>
    /// <exception cref="TimeoutException">Another worker held it for longer than <paramref name="timeout"/>.</exception>
    IDisposable Acquire(string package, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded default: a lock file per package in the runs store, held open while the package is
/// recalculated. The operating system drops it when the process dies, so a killed host never leaves it taken.
/// </summary>
internal sealed class StorePackageLocks(RunStore store) : IPackageLocks
{
    public IDisposable Acquire(string package, TimeSpan timeout, CancellationToken cancellationToken) => store.LockPackage(package, timeout, cancellationToken);
}

/// <summary>
/// With PostgreSQL: a session advisory lock per package on a connection held open while the package is
/// recalculated, plus the store's lock file (for hosts that share the store but not the database).
/// </summary>
/// <remarks>
/// Not Hangfire's distributed lock: Hangfire.PostgreSql keeps that as a row that expires after
/// <c>DistributedLockTimeout</c> (10 minutes), shorter than a large recalculation, and that outlives a killed
/// process until then. PostgreSQL releases an advisory lock the moment the holder's connection ends.
/// </remarks>
internal sealed class PostgresPackageLocks(string connectionString, RunStore store) : IPackageLocks
{
    // "tbm1": the first key of the two-key advisory lock, so these never collide with other applications' locks.
    private const int Namespace = 0x74626d31;

    public IDisposable Acquire(string package, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(package)), 0);
        // Unpooled: a pooled connection would go back to the pool on release with the lock still held.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "tbm package lock" }.ConnectionString);
        try
        {
            connection.Open();
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = Namespace });
                    command.Parameters.Add(new NpgsqlParameter { Value = key });
                    if (command.ExecuteScalar() is true)
                    {
                        break;
                    }
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"package {package} was being recalculated elsewhere for longer than {timeout}");
                }

                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }

            var remaining = deadline - DateTime.UtcNow;
            var file = store.LockPackage(package, remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1), cancellationToken);
            return new Held(connection, key, file);
        }
        catch
        {
            connection.Dispose(); // closing the session releases the advisory lock
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, int key, IDisposable file) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            try
            {
                using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = Namespace });
                command.Parameters.Add(new NpgsqlParameter { Value = key });
                command.ExecuteScalar();
            }
            catch (NpgsqlException)
            {
                // the connection is gone, and with it the lock
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
