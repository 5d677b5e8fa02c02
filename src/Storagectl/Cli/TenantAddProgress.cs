namespace Storagectl.Cli;

/// <summary>
/// What `tenant add` has changed so far, so that a failure can say exactly what is left in place, how to go on (the
/// same command again: it continues from the configuration entry) and how to undo it by hand.
/// </summary>
public sealed class TenantAddProgress(string command)
{
    private readonly List<string> _done = [];
    private readonly List<string> _undo = [];

    /// <summary>Something that stays if the run stops later, and what takes it back.</summary>
    public void Done(string what, string undo)
    {
        _done.Add(what);
        _undo.Add(undo);
    }

    /// <summary>The lines after `error: …`: nothing changed, or what is left, how to continue and how to undo.</summary>
    public IReadOnlyList<string> Stopped(string at)
    {
        if (_done.Count == 0) return [$"tenant add stopped at {at}; nothing was changed"];
        return
        [
            $"tenant add stopped at {at}; left in place:",
            .. _done.Select(d => $"  - {d}"),
            $"to continue once the cause is fixed, run the same command again (it continues from the configuration entry): {command}",
            "to undo instead, by hand:",
            .. Enumerable.Reverse(_undo).Select(u => $"  - {u}"),
        ];
    }
}
