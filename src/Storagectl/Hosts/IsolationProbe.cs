using System.Text.Json;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Planning;
using Storagectl.Processes;
using static Storagectl.HostCommands.IsolationCommands;

namespace Storagectl.Hosts;

/// <summary>
/// Runs an <see cref="IsolationProbeStep"/>: sets up a probe key and object in every instance (one ssh command per
/// host), asks every check through the instances' own ports (one per host), and then, whatever happened, deletes the
/// objects, revokes the keys and asks with the revoked keys (one per host). The probe never creates a tenant: one not
/// created yet gets the checks that need no key of its own, and the report says which checks waited for it.
/// </summary>
public sealed class IsolationProbe(Func<HostConfig, HostConnection> connect)
{
    private enum State { Unknown, Undeployed, Absent, Ready, Error }

    /// <summary>The check of this tenant's key on another tenant's instance: "probe key on globex's instance".</summary>
    private static string OnInstanceOf(string label) => $"probe key on {label}'s instance";

    private static bool IsOnOthersInstance(ProbeCheck check) => check.Check.StartsWith("probe key on ") && check.Check.EndsWith("'s instance");

    /// <summary>One instance and what its setup left: a key (kept in memory only), its id, the probe object's id.</summary>
    private sealed class Participant(int index, ProbeInstance instance, bool subject)
    {
        public int Index { get; } = index;
        public ProbeInstance Instance { get; } = instance;
        public bool Subject { get; } = subject;
        public State State { get; set; }
        public string? Key { get; set; }
        public string? KeyId { get; set; }
        public string? ObjectId { get; set; }
        public string? Problem { get; set; }
        /// <summary>The upload may have stored an object whose id never came back (no answer, or one without an id).</summary>
        public bool UploadUnclear { get; set; }
        public bool UploadTimedOut { get; set; }
        public string Label { get; set; } = "";
    }

    public async Task<ProbeReport> RunAsync(IsolationProbeStep step, CancellationToken cancellationToken = default)
    {
        var participants = step.Subjects.Select(s => (s, true)).Concat(step.Others.Select(o => (o, false)))
            .Select((p, i) => new Participant(i, p.Item1, p.Item2)).ToList();
        foreach (var p in participants)
            p.Label = participants.Count(o => o.Instance.Tenant == p.Instance.Tenant) > 1 ? p.Instance.Name : p.Instance.Tenant;
        var checks = new List<ProbeCheck>();
        var notes = new List<string>();
        var cleanupFailures = new List<string>();
        try
        {
            await SetupAsync(participants, step, cancellationToken);
            foreach (var check in await AskAsync(participants, step, cancellationToken))
            {
                // Another tenant's instance that does not serve right now refused nothing and accepted nothing: that
                // says nothing about isolation, and must not fail this tenant's deploy. Said, not counted.
                if (IsOnOthersInstance(check) && check.Got is "no answer" or "502" or "503" or "504")
                    notes.Add($"{check.Tenant}: {check.Check} left out: that instance does not serve now ({(check.Got == "no answer" ? check.Got : "HTTP " + check.Got)})");
                else checks.Add(check);
            }
        }
        finally
        {
            checks.AddRange(await CleanUpAsync(participants, step, cleanupFailures));
        }
        foreach (var p in participants)
        {
            if (p.State == State.Undeployed) notes.Add($"{p.Label}: not deployed on {p.Instance.Host.Name}; left out");
            else if (p.State == State.Absent && p.Subject)
                notes.Add($"{p.Label}: the tenant does not exist in its instance yet; waited for it: {string.Join(", ", IsolationProbePlan.ChecksThatNeedTheTenant)}");
            else if (p.State == State.Absent) notes.Add($"{p.Label}: the tenant does not exist in its instance yet; its probe key and object waited for it");
            else if (!p.Subject && p.Problem is not null)
                notes.Add($"{p.Label}: {p.Problem}; " + (p.Key is null ? "checks with its key and object left out" : "checks with its object left out"));
        }
        // Setup problems of a probed tenant are failures: its checks could not run.
        checks.InsertRange(0, participants.Where(p => p.Subject && p.State is State.Error or State.Unknown)
            .Select(p => new ProbeCheck(p.Label, "create the probe key", "created", p.Problem ?? "no answer")));
        checks.InsertRange(0, participants.Where(p => p.Subject && p.State == State.Ready && p.ObjectId is null)
            .Select(p => new ProbeCheck(p.Label, "upload the probe object", "201", p.Problem ?? "no id")));
        return new ProbeReport([.. checks.OrderBy(c => participants.FindIndex(p => p.Label == c.Tenant))], notes, cleanupFailures);
    }

    private async Task SetupAsync(List<Participant> participants, IsolationProbeStep step, CancellationToken cancellationToken)
    {
        await Task.WhenAll(participants.GroupBy(p => p.Instance.Host.Name).Select(async onHost =>
        {
            var host = onHost.First().Instance.Host;
            var result = await connect(host).RunAsync(Setup(onHost.Select(p => new Item(p.Index, p.Instance)), step.KeyName, step.TimeoutSeconds), (string?)null, cancellationToken);
            foreach (var (index, field, value) in Fields(result.Output))
            {
                var p = participants[index];
                switch (field)
                {
                    case "state": p.State = value == "absent" ? State.Absent : State.Undeployed; break;
                    case "keyid": p.KeyId = value.Length > 0 ? value : null; break;
                    case "key":
                        p.Key = value;
                        p.State = State.Ready;
                        p.UploadUnclear = true; // until its answer is read
                        break;
                    case "timedout":
                        p.UploadTimedOut = value == "yes";
                        break;
                    case "upload":
                        var (status, body) = StatusAndBody(value);
                        p.ObjectId = status == "201" ? IdOf(body) : null;
                        // Refused or unanswered (nothing listens) stored nothing; a timeout or a 201 without an id may have.
                        p.UploadUnclear = p.ObjectId is null && (status == "201" || p.UploadTimedOut);
                        if (p.ObjectId is null) p.Problem = $"uploading its probe object answered {Describe(status)}";
                        break;
                    case "error":
                        p.State = State.Error;
                        p.Problem = $"creating its probe key failed: {value}";
                        break;
                }
            }
            foreach (var p in onHost.Where(p => p.State == State.Unknown))
                p.Problem = $"setting up on {host.Name} failed: {result.Reason}";
        }));
    }

    /// <summary>The checks, asked on the host of the instance each one is about, every host side by side.</summary>
    private async Task<IReadOnlyList<ProbeCheck>> AskAsync(List<Participant> participants, IsolationProbeStep step, CancellationToken cancellationToken)
    {
        var planned = new List<(ProbeCheck Check, HostConfig Host, string Method, string Url, Participant? Key, bool Health)>();
        string Url(Participant p, string path) => $"http://127.0.0.1:{p.Instance.PublicPort}{path}";
        var serving = participants.Where(p => p.State is State.Ready or State.Absent or State.Error).ToList();
        foreach (var s in serving.Where(p => p.Subject))
        {
            var host = s.Instance.Host;
            var ready = s.State == State.Ready;
            planned.Add((new(s.Label, "no key", "401", ""), host, "GET", Url(s, "/v1/objects"), null, false));
            if (ready) planned.Add((new(s.Label, "probe key on /v1/admin/tenants", "403", ""), host, "GET", Url(s, "/v1/admin/tenants"), s, false));
            planned.Add((new(s.Label, "/health names the tenant", s.Instance.Tenant, ""), host, "GET",
                HealthCommands.Url(s.Instance.HealthPort ?? s.Instance.PublicPort, "/health"), null, true));
            foreach (var o in participants.Where(o => o.Instance.Tenant != s.Instance.Tenant && o.Key is not null))
                planned.Add((new(s.Label, $"{o.Label}'s probe key here", "401", ""), host, "GET", Url(s, "/v1/objects"), o, false));
            if (!ready) continue;
            foreach (var o in participants.Where(o => o.Instance.Tenant != s.Instance.Tenant && o.ObjectId is not null))
                planned.Add((new(s.Label, $"{o.Label}'s probe object here", "404", ""), host, "GET", Url(s, $"/v1/objects/{o.ObjectId}"), s, false));
            foreach (var o in serving.Where(o => !o.Subject && o.Instance.Tenant != s.Instance.Tenant))
                planned.Add((new(s.Label, OnInstanceOf(o.Label), "401", ""), o.Instance.Host, "GET", Url(o, "/v1/objects"), s, false));
        }

        var answered = await Task.WhenAll(planned.Select((c, i) => (c, i)).GroupBy(x => x.c.Host.Name).Select(async onHost =>
        {
            var host = onHost.First().c.Host;
            var keys = onHost.Where(x => x.c.Key is not null).Select(x => x.c.Key!).Distinct().ToList();
            var requests = onHost.Select(x => new Request(x.i, x.c.Method, x.c.Url, x.c.Key is null ? null : keys.IndexOf(x.c.Key), x.c.Health));
            var result = await connect(host).RunAsync(Ask(requests, step.TimeoutSeconds), string.Concat(keys.Select(k => k.Key + "\n")), cancellationToken);
            var answers = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ', 3)).Where(a => a.Length >= 2 && int.TryParse(a[0], out _))
                .ToDictionary(a => int.Parse(a[0]), a => (Status: a[1], Body: a.Length > 2 ? a[2] : ""));
            return onHost.Select(x => (x.i, Check: x.c.Check with
            {
                Got = !answers.TryGetValue(x.i, out var answer) ? $"no answer ({result.Reason})"
                    : x.c.Health ? TenantOf(answer.Status, answer.Body)
                    : answer.Status == "000" ? "no answer" : answer.Status,
            })).ToList();
        }));
        return [.. answered.SelectMany(a => a).OrderBy(a => a.i).Select(a => a.Check)];
    }

    /// <summary>Deletes every probe object, revokes every probe key (by name where its id is unknown), and asks with the revoked keys.</summary>
    private async Task<IReadOnlyList<ProbeCheck>> CleanUpAsync(List<Participant> participants, IsolationProbeStep step, List<string> failures)
    {
        var pending = participants.Where(p => p.State is State.Ready or State.Unknown).ToList();
        var checks = await Task.WhenAll(pending.GroupBy(p => p.Instance.Host.Name).Select(async onHost =>
        {
            var host = onHost.First().Instance.Host;
            var keys = onHost.Where(p => p.Key is not null).ToList();
            var removals = onHost.Select(p => new Removal(p.Index, p.Instance, p.Key is null ? null : keys.IndexOf(p), p.KeyId, p.ObjectId, p.Subject));
            CommandResult result;
            try
            {
                result = await connect(host).RunAsync(CleanUp(removals, step.KeyName, step.TimeoutSeconds), string.Concat(keys.Select(p => p.Key + "\n")), CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                result = new CommandResult(255, "", e.Message);
            }
            var found = new List<ProbeCheck>();
            var answered = new HashSet<int>();
            foreach (var (index, field, value) in Fields(result.Output))
            {
                var p = participants[index];
                answered.Add(index);
                switch (field)
                {
                    case "delete" when value is not ("204" or "404"):
                        lock (failures) failures.Add($"{p.Label}: deleting the probe object {p.ObjectId} answered {Describe(value)} (it expires within an hour by itself)");
                        break;
                    case "revoke" when value != "ok":
                        lock (failures) failures.Add($"{p.Label}: revoking the probe key {p.KeyId ?? step.KeyName} {value}");
                        break;
                    case "revoked":
                        found.Add(new ProbeCheck(p.Label, "revoked probe key", "401", value == "000" ? "no answer" : value));
                        break;
                }
            }
            foreach (var p in onHost.Where(p => !answered.Contains(p.Index)))
                lock (failures) failures.Add($"{p.Label}: cleanup on {host.Name} did not run ({result.Reason}); revoke the keys named {step.KeyName} with `storage-api keys revoke`");
            foreach (var p in onHost.Where(p => p.UploadUnclear))
                lock (failures) failures.Add($"{p.Label}: the probe object may have been stored, but its id never came back; it expires within an hour by itself");
            return found;
        }));
        return [.. checks.SelectMany(c => c)];
    }

    private static IEnumerable<(int Index, string Field, string Value)> Fields(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ');
            var equals = line.IndexOf('=');
            if (space > 0 && equals > space && int.TryParse(line[..space], out var index))
                yield return (index, line[(space + 1)..equals], line[(equals + 1)..].Trim());
        }
    }

    private static (string Status, string Body) StatusAndBody(string value)
    {
        var space = value.IndexOf(' ');
        return space < 0 ? (value, "") : (value[..space], value[(space + 1)..]);
    }

    private static string Describe(string status) => status is "000" or "" ? "nothing (no answer)" : $"HTTP {status}";

    private static string? IdOf(string body) => Property(body, "id");

    /// <summary>What the full /health report says the instance serves: the tenant, "(none)" for any tenant, or why it could not tell.</summary>
    private static string TenantOf(string status, string body)
    {
        if (status == "000") return "no answer";
        if (Property(body, "tenant", out var found) is { } tenant) return tenant;
        return found ? "(none)" : $"HTTP {status} without a tenant field";
    }

    private static string? Property(string body, string name) => Property(body, name, out _);

    private static string? Property(string body, string name, out bool found)
    {
        found = false;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(name, out var value)) return null;
            found = true;
            return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
