using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using StorageApi.Data;
using StorageApi.Search.Vectors.Graph;

namespace StorageApi.Search.Vectors;

/// <summary>
/// The in-memory vector indexes, one per tenant, keyed by tenant id: a lookup for one tenant can only reach that tenant's
/// vectors. An index is loaded on its tenant's first search (<see cref="VectorSetLoader"/>) and kept up to date by this
/// process's writes; a revision stored with the set tells when someone else changed it, and the copy is then repaired
/// (a graph) or loaded again (exact). A tenant that reaches <see cref="SearchOptions.GraphThreshold"/> objects gets a
/// graph built in the background; graphs are saved beside the database when changes settle, and a tenant's index is
/// dropped from memory after <see cref="SearchOptions.IdleUnload"/> without a search.
/// </summary>
public sealed class TenantVectorIndexes(VectorSetLoader loader, GraphIndexFiles files, IOptions<SearchOptions> options, TimeProvider clock,
    ILogger<TenantVectorIndexes> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, LoadedVectorSet> _byTenant = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _loading = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _builds = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Inserts run on half the cores, so that searches keep the rest while a graph is built.</summary>
    private static readonly int BuildThreads = Math.Max(1, Environment.ProcessorCount / 2);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The in-memory copy of <paramref name="active"/> (the tenant's active set as just read from the database).</summary>
    public async Task<LoadedVectorSet> GetAsync(VectorSet active, CancellationToken cancellationToken)
    {
        if (_byTenant.TryGetValue(active.TenantId, out var loaded) && loaded.IsCurrentFor(active)) return Used(loaded);
        loaded?.Touch(Now); // not dropped as idle while it waits for the gate
        var gate = LoadingGate(active.TenantId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_byTenant.TryGetValue(active.TenantId, out loaded) && loaded.IsCurrentFor(active)) return Used(loaded);
            if (loaded is not null && loaded.SetId == active.Id && loaded.Index is GraphVectorIndex graph)
            {
                var started = Stopwatch.StartNew();
                loaded.BeginRepair();
                int changed;
                try
                {
                    changed = await loader.RepairAsync(graph, active, cancellationToken);
                }
                catch
                {
                    loaded.RepairFailed();
                    throw;
                }
                loaded.Repaired(active.Revision, Now);
                logger.LogInformation("Repaired the vector graph of tenant {TenantId} to revision {Revision} ({Changed} objects changed elsewhere) in {Milliseconds} ms",
                    active.TenantId, active.Revision, changed, started.ElapsedMilliseconds);
                return Used(loaded);
            }
            var fresh = await loader.LoadAsync(active, cancellationToken);
            _byTenant[active.TenantId] = fresh;
            loaded?.Retire();
            StartGraphBuildIfDue(fresh);
            return Used(fresh);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Applies a committed change of a tenant's active set; a copy that cannot follow is repaired or loaded again before its next search.</summary>
    public void Apply(string tenantId, long setId, long revision, Action<ITenantVectorIndex> change)
    {
        if (!_byTenant.TryGetValue(tenantId, out var loaded)) return; // not loaded: the next search reads the database
        bool applied;
        try
        {
            applied = loaded.SetId == setId && loaded.TryApply(revision, change, Now);
        }
        catch (ArgumentException e)
        {
            // e.g. the first vectors of a set loaded while it had none, with other dimensions than assumed
            logger.LogDebug(e, "Reloading the vectors of tenant {TenantId}", tenantId);
            applied = false;
        }
        if (applied) StartGraphBuildIfDue(loaded);
        else if (loaded.Index is VectorIndex && _byTenant.TryRemove(new KeyValuePair<string, LoadedVectorSet>(tenantId, loaded))) loaded.Retire();
        // A graph stays: its revision now lags the database's, so the next search repairs it instead of building it again.
    }

    /// <summary>Tenants, vectors and bytes held in memory, and how many tenants search a graph, for /health.</summary>
    public (int Tenants, long Vectors, long Bytes, int Graphs) Totals()
    {
        var sets = _byTenant.Values.Select(s => s.Index).ToList();
        return (sets.Count, sets.Sum(s => (long)s.Count), sets.Sum(s => s.MemoryBytes), sets.Count(s => s is GraphVectorIndex));
    }

    /// <summary>Saves the graphs whose changes have settled for <paramref name="quiet"/>; at shutdown, with zero, every changed one.</summary>
    public void SaveSettled(TimeSpan quiet)
    {
        foreach (var loaded in _byTenant.Values)
            if (loaded.NeedsSave(Now, quiet)) Save(loaded);
    }

    /// <summary>Drops from memory the tenants not searched for <see cref="SearchOptions.IdleUnload"/>, saving their graph first.</summary>
    public void UnloadIdle()
    {
        foreach (var (tenantId, loaded) in _byTenant)
        {
            if (Now - loaded.LastUsed < options.Value.IdleUnload || _builds.ContainsKey(tenantId)) continue;
            if (loaded.NeedsSave(Now, TimeSpan.Zero)) Save(loaded);
            if (!loaded.TryRetireIdle(Now, options.Value.IdleUnload)) continue;
            _byTenant.TryRemove(new KeyValuePair<string, LoadedVectorSet>(tenantId, loaded));
            logger.LogInformation("Dropped the vectors of tenant {TenantId} from memory after {Idle} without a search", tenantId, options.Value.IdleUnload);
        }
    }

    /// <summary>Graph builds still running (tests and shutdown wait for them).</summary>
    public Task BuildsAsync() => Task.WhenAll(_builds.Values);

    /// <summary>Cuts running graph builds short (at shutdown): a tenant whose build did not finish gets one after the next start.</summary>
    public Task StopBuildsAsync()
    {
        _stopping.Cancel();
        return BuildsAsync();
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>One load, repair or install of a tenant's copy at a time.</summary>
    private SemaphoreSlim LoadingGate(string tenantId) => _loading.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));

    private LoadedVectorSet Used(LoadedVectorSet loaded)
    {
        loaded.Touch(Now);
        return loaded;
    }

    private void StartGraphBuildIfDue(LoadedVectorSet loaded)
    {
        if (loaded.Index is not VectorIndex exact || exact.Count < options.Value.GraphThreshold || _stopping.IsCancellationRequested) return;
        lock (_builds)
        {
            if (_builds.ContainsKey(loaded.TenantId)) return;
            _builds[loaded.TenantId] = Task.Run(() => BuildGraphAsync(loaded, exact));
        }
    }

    private async Task BuildGraphAsync(LoadedVectorSet loaded, VectorIndex exact)
    {
        var started = Stopwatch.StartNew();
        GraphVectorIndex? graph = null;
        try
        {
            graph = GraphBuilder.Build(exact, BuildThreads, logger, _stopping.Token);
            var built = started.Elapsed;
            string how;
            if (loaded.TrySwitchToGraph(exact, graph, out var caughtUp))
            {
                how = $"{caughtUp} changes caught up";
            }
            else if (await TryInstallAsync(loaded, graph) is { } installed)
            {
                // The exact copy was loaded again meanwhile (changes from another instance): the database told what changed.
                (loaded, how) = (installed, "repaired from the database");
            }
            else
            {
                logger.LogInformation("Dropped the vector graph built for tenant {TenantId}: its vector set changed meanwhile", loaded.TenantId);
                return;
            }
            logger.LogInformation("Tenant {TenantId} now searches a vector graph of {Count} objects, built in {Seconds:F1} s on {Threads} threads ({How}), {MiB:F0} MiB",
                loaded.TenantId, graph.Count, built.TotalSeconds, BuildThreads, how, graph.MemoryBytes / 1048576.0);
            graph = null; // the set owns it now
            Save(loaded);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not build the vector graph of tenant {TenantId}; it keeps searching exactly", loaded.TenantId);
        }
        finally
        {
            graph?.Dispose();
            _builds.TryRemove(loaded.TenantId, out _);
        }
    }

    /// <summary>
    /// Makes <paramref name="graph"/>, built from a copy that was replaced meanwhile, the tenant's copy: repaired to the
    /// database's revision of the same set. Null when the set is no longer the active one.
    /// </summary>
    private async Task<LoadedVectorSet?> TryInstallAsync(LoadedVectorSet builtFrom, GraphVectorIndex graph)
    {
        var gate = LoadingGate(builtFrom.TenantId);
        await gate.WaitAsync(_stopping.Token);
        try
        {
            var active = await loader.ActiveAsync(builtFrom.TenantId, _stopping.Token);
            if (active is null || active.Id != builtFrom.SetId) return null;
            await loader.RepairAsync(graph, active, _stopping.Token);
            var installed = new LoadedVectorSet(active.TenantId, active.Id, builtFrom.Embedder, graph, active.Revision, Now);
            installed.Unsaved();
            var replaced = _byTenant.TryGetValue(active.TenantId, out var current) ? current : null;
            _byTenant[active.TenantId] = installed;
            replaced?.Retire();
            return installed;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Save(LoadedVectorSet loaded)
    {
        try
        {
            var revision = loaded.WithChangesHeld((index, revision) =>
            {
                if (index is GraphVectorIndex graph) files.Save(loaded.TenantId, loaded.SetId, loaded.Embedder, graph, revision);
                return revision;
            });
            loaded.Saved(revision);
        }
        catch (ObjectDisposedException)
        {
            // dropped meanwhile
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GraphIndexException)
        {
            // Only a cache: the next start repairs an older file or builds the graph again.
            logger.LogWarning("Could not save the vector graph of tenant {TenantId}: {Reason}", loaded.TenantId, e.Message);
        }
    }
}
