namespace ItDrift.Tbm;

/// <summary>What kind of mistake a <see cref="TbmException"/> is: each host maps the kind once (exit code, HTTP status).</summary>
public enum TbmErrorKind
{
    /// <summary>The request does not fit: a wrong option or argument, an order that cannot be quoted (exit 2; 400).</summary>
    Usage,

    /// <summary>The model package has errors, each with file, line, column and reason (exit 2; 400).</summary>
    Model,

    /// <summary>What was asked for does not exist: a run, a fiscal year, a tenant of a run, a file (exit 2; 404).</summary>
    NotFound,

    /// <summary>It exists but is in the way: an output that is not the engine's, a recorded baseline (exit 2; 409).</summary>
    Conflict,
}

/// <summary>
/// The one base type of the domain's exceptions: a user's or a package's mistake, said in one line for the
/// person who made it. Bugs and a broken environment are other exceptions (exit 1; 500), never this one.
/// </summary>
/// <remarks>
/// Model errors are values (<see cref="RunResult.Errors"/>, <c>errors.csv</c>): a run collects all of them.
/// An exception is for a call that cannot go on — an order, a command line, a missing run — and carries its
/// <see cref="Kind"/>, so the command line and the read API each map every kind in one place.
/// </remarks>
public class TbmException : Exception
{
    /// <summary>A mistake of the given kind.</summary>
    public TbmException(TbmErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    /// <summary>What kind of mistake it is.</summary>
    public TbmErrorKind Kind { get; }

    /// <summary>The request does not fit (<see cref="TbmErrorKind.Usage"/>).</summary>
    public static TbmException Usage(string message) => new(TbmErrorKind.Usage, message);

    /// <summary>What was asked for does not exist (<see cref="TbmErrorKind.NotFound"/>).</summary>
    public static TbmException NotFound(string message) => new(TbmErrorKind.NotFound, message);

    /// <summary>It exists but is in the way (<see cref="TbmErrorKind.Conflict"/>).</summary>
    public static TbmException Conflict(string message) => new(TbmErrorKind.Conflict, message);
}

/// <summary>The model package has errors; <see cref="Result"/> lists them.</summary>
public sealed class ModelException(RunResult result) : TbmException(TbmErrorKind.Model, $"the model has {result.ErrorCount} error(s)")
{
    /// <summary>The errors (and warnings) found.</summary>
    public RunResult Result { get; } = result;
}
