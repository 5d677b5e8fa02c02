using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// The isolation probe's work on one host, one ssh command per phase: set up (a probe key and object per instance),
/// ask (HTTP requests through the instances' ports, as clients and the health gate do), clean up (delete, revoke, ask
/// again). Each answers one line per item, "&lt;index&gt; &lt;field&gt;=&lt;value&gt;" or "&lt;index&gt; &lt;status&gt; [body]". Keys
/// travel on stdin, one a line, and reach curl through a pipe (<c>-H @-</c>): never in an argument list.
/// </summary>
public static class IsolationCommands
{
    /// <summary>One instance's part of a phase, numbered so answers can be told apart (they run side by side).</summary>
    public sealed record Item(int Index, ProbeInstance Instance);

    /// <summary>An HTTP request the probe makes on a host; <paramref name="Key"/> indexes the keys on stdin (null: no key).</summary>
    public sealed record Request(int Index, string Method, string Url, int? Key, bool WithBody = false);

    /// <summary>
    /// Per instance: "undeployed" (no release binary), "absent" (the tenant does not exist in it yet), or a probe key
    /// (keyid=, key=) and the answer to uploading a small object with it (timedout=yes|no, upload=&lt;status&gt; &lt;body&gt;);
    /// error= otherwise.
    /// The object expires within an hour by itself, should every cleanup fail.
    /// </summary>
    public static string Setup(IEnumerable<Item> items, string keyName, int timeoutSeconds)
    {
        var name = Shell.Quote(keyName);
        var calls = items.Select(i => $"setup {i.Index} {Shell.Quote(i.Instance.Tenant)} {Shell.Quote(i.Instance.Paths.Shared)} {Shell.Quote(i.Instance.Binary)} {i.Instance.PublicPort} &");
        return $$"""
            work=$(mktemp -d)
            trap 'rm -rf "$work"' EXIT
            setup() {
              local i=$1 tenant=$2 shared=$3 binary=$4 port=$5 key
              if [ ! -x "$binary" ] || [ ! -d "$shared" ]; then echo "$i state=undeployed"; return; fi
              if key=$(cd "$shared" && "$binary" keys create "$tenant" --name {{name}} 2>"$work/$i.err"); then
                echo "$i keyid=$(sed -n 's/^created key \([^ ]*\) .*/\1/p' "$work/$i.err")"
                echo "$i key=$key"
                printf 'Authorization: Bearer %s\n' "$key" | curl -sS -m {{timeoutSeconds}} -H @- -H 'Content-Type: application/octet-stream' \
                  --data-binary 'isolation probe' -o "$work/$i.body" -w '%{http_code}' \
                  "http://127.0.0.1:$port/v1/objects?filename="{{name}}".bin&ttlHours=1" > "$work/$i.code" 2>/dev/null
                echo "$i timedout=$([ $? -eq 28 ] && echo yes || echo no)"
                echo "$i upload=$(cat "$work/$i.code") $(tr -d '\n' < "$work/$i.body" 2>/dev/null)"
              elif grep -qF "Tenant '$tenant' does not exist" "$work/$i.err"; then
                echo "$i state=absent"
              else
                echo "$i error=$(grep -v '^$' "$work/$i.err" | tail -n 1)"
              fi
            }
            {{string.Join('\n', calls)}}
            wait
            """;
    }

    /// <summary>Every request side by side; each answers "&lt;index&gt; &lt;status&gt;" (000: no answer), with the body on the line when asked.</summary>
    public static string Ask(IEnumerable<Request> requests, int timeoutSeconds)
    {
        var calls = requests.Select(r => $"ask {r.Index} {r.Method} {Shell.Quote(r.Url)} {(r.Key is { } key ? key.ToString() : "-")} {(r.WithBody ? 1 : 0)} &");
        return $$"""
            mapfile -t keys
            work=$(mktemp -d)
            trap 'rm -rf "$work"' EXIT
            ask() {
              local i=$1 method=$2 url=$3 key=$4 body=$5 code
              if [ "$key" = - ]; then
                code=$(curl -sS -m {{timeoutSeconds}} -X "$method" -o "$work/$i" -w '%{http_code}' "$url" 2>/dev/null)
              else
                code=$(printf 'Authorization: Bearer %s\n' "${keys[$key]}" | curl -sS -m {{timeoutSeconds}} -X "$method" -H @- -o "$work/$i" -w '%{http_code}' "$url" 2>/dev/null)
              fi
              if [ "$body" = 1 ]; then echo "$i ${code:-000} $(tr -d '\n' < "$work/$i" 2>/dev/null)"; else echo "$i ${code:-000}"; fi
            }
            {{string.Join('\n', calls)}}
            wait
            """;
    }

    /// <summary>What cleanup does for one instance: the object to delete and the key to revoke (its index on stdin and its id), if known.</summary>
    public sealed record Removal(int Index, ProbeInstance Instance, int? Key, string? KeyId, string? ObjectId, bool CheckRevoked);

    /// <summary>
    /// Per instance: delete the probe object with its key (delete=&lt;status&gt;), revoke the key (revoke=ok, or
    /// revoke=failed &lt;why&gt;), and ask with the revoked key (revoked=&lt;status&gt;). A key whose id is not known (its setup's
    /// answer was lost) is found by its name among the tenant's active keys, so no probe key stays behind.
    /// </summary>
    public static string CleanUp(IEnumerable<Removal> removals, string keyName, int timeoutSeconds)
    {
        var calls = removals.Select(r =>
            $"clean {r.Index} {Shell.Quote(r.Instance.Tenant)} {Shell.Quote(r.Instance.Paths.Shared)} {Shell.Quote(r.Instance.Binary)} {r.Instance.PublicPort} " +
            $"{(r.Key is { } key ? key.ToString() : "-")} {Shell.Quote(r.KeyId ?? "-")} {Shell.Quote(r.ObjectId ?? "-")} {(r.CheckRevoked ? 1 : 0)} &");
        return $$"""
            set -o pipefail
            mapfile -t keys
            work=$(mktemp -d)
            trap 'rm -rf "$work"' EXIT
            with_key() { printf 'Authorization: Bearer %s\n' "${keys[$1]}" | curl -sS -m {{timeoutSeconds}} -H @- -o /dev/null -w '%{http_code}' "${@:2}" 2>/dev/null; }
            clean() {
              local i=$1 tenant=$2 shared=$3 binary=$4 port=$5 key=$6 keyid=$7 object=$8 check=$9 code ids id failed=
              if [ "$key" != - ] && [ "$object" != - ]; then
                code=$(with_key "$key" -X DELETE "http://127.0.0.1:$port/v1/objects/$object"); echo "$i delete=${code:-000}"
              fi
              if [ "$keyid" != - ]; then ids=$keyid; else
                [ -x "$binary" ] || { echo "$i revoke=ok"; return; }
                if ! ids=$(cd "$shared" && "$binary" keys list "$tenant" 2>"$work/$i.err" | awk -F'\t' -v name={{Shell.Quote(keyName)}} '$2 == name && $4 == "active" { print $1 }'); then
                  if grep -qF "Tenant '$tenant' does not exist" "$work/$i.err"; then echo "$i revoke=ok"; else echo "$i revoke=failed $(grep -v '^$' "$work/$i.err" | tail -n 1)"; fi
                  return
                fi
              fi
              for id in $ids; do
                (cd "$shared" && "$binary" keys revoke "$tenant" "$id") 2>"$work/$i.err" >/dev/null || failed="$id: $(grep -v '^$' "$work/$i.err" | tail -n 1)"
              done
              if [ -n "$failed" ]; then echo "$i revoke=failed $failed"; else echo "$i revoke=ok"; fi
              if [ "$check" = 1 ] && [ "$key" != - ]; then
                code=$(with_key "$key" "http://127.0.0.1:$port/v1/objects"); echo "$i revoked=${code:-000}"
              fi
            }
            {{string.Join('\n', calls)}}
            wait
            """;
    }
}
