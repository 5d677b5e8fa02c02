using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Storagectl.Configuration;

/// <summary>
/// Edits deploy/storagectl.yml as text: new text is spliced in where YamlDotNet says the nodes are, written in the
/// style of what is already there (indentation, block or flow), and every other byte (comments, blank lines, order) is
/// kept. Each result is read back with <see cref="DeployConfigLoader"/> and checked to say what was asked, so an edit
/// can never leave a file storagectl would refuse. A refusal is one line (<see cref="ConfigException"/>) and changes nothing.
/// </summary>
public static class ConfigEditor
{
    /// <summary>Where the tenant keys are written when the file has no sibling to copy their order from.</summary>
    private static readonly string[] KeyOrder = ["hosts", "port", "public_url", "slot_ports", "env", "secrets"];

    /// <summary>
    /// Adds the tenant after the environment's last tenant, laid out like it, and to ring <paramref name="ring"/>
    /// (1-based; default the last ring). An environment without <c>rings:</c> has one ring of all its tenants.
    /// </summary>
    public static string AddTenant(string yaml, string environment, NewTenant tenant, int? ring, string file = "storagectl.yml")
    {
        var root = YamlText.Root(yaml, file);
        var (_, tenants, envNode) = Tenants(root, environment, file);
        if (!DeployConfigLoader.NamePattern().IsMatch(tenant.Name))
            throw new ConfigException($"{file}: tenant name '{tenant.Name}' must be lower-case letters, digits and dashes");
        if (YamlText.Child(tenants, tenant.Name) is not null) throw new ConfigException($"{file}: {environment} already has a tenant '{tenant.Name}'");
        RequireHosts(root, tenant.Hosts, file);
        if (tenants.Children.Count == 0) throw new ConfigException($"{file}: {environment} has no tenant to lay the new one out like; add the first by hand");

        var (siblingKey, siblingValue) = tenants.Children.Last();
        var layout = Layout.Of(yaml, (YamlScalarNode)siblingKey, siblingValue);
        var newLine = YamlText.NewLine(yaml);
        var after = YamlText.NextLine(yaml, YamlText.End(yaml, siblingValue));
        var lines = layout.Render(tenant, Order(siblingValue), newLine);
        var edits = new List<TextEdit> { new(after, after, (after == yaml.Length && !yaml.EndsWith('\n') ? newLine : "") + lines) };
        if (RingEdit(yaml, envNode, environment, tenant.Name, ring, file, newLine) is { } ringEdit) edits.Add(ringEdit);

        var result = YamlText.Apply(yaml, edits);
        var written = ReadBack(result, file).Environment(environment).Tenants[tenant.Name];
        if (!written.Hosts.SequenceEqual(tenant.Hosts) || written.Port != tenant.Port || !written.SlotPorts.SequenceEqual(tenant.SlotPorts)
            || written.PublicUrl != tenant.PublicUrl?.TrimEnd('/')
            || !written.Env.OrderBy(e => e.Key).SequenceEqual(tenant.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
            || !written.Secrets.OrderBy(e => e.Key).SequenceEqual(tenant.Secrets.OrderBy(e => e.Key, StringComparer.Ordinal)))
            throw new InvalidOperationException($"the tenant written for '{tenant.Name}' does not read back as given; {file} was not changed");
        return result;
    }

    /// <summary>Points the tenant at other hosts (and ports); an empty <paramref name="slotPorts"/> removes them (a host without a proxy).</summary>
    public static string SetTenantPlacement(string yaml, string environment, string tenant, IReadOnlyList<string> hosts, int? port = null,
        IReadOnlyList<int>? slotPorts = null, string file = "storagectl.yml")
    {
        var root = YamlText.Root(yaml, file);
        var (tenantKey, tenantNode, _) = Tenant(root, environment, tenant, file);
        RequireHosts(root, hosts, file);
        if (hosts.Count == 0) throw new ConfigException($"{file}: {environment}/{tenant} needs at least one host");
        var newLine = YamlText.NewLine(yaml);
        var childIndent = ChildIndent(tenantKey, tenantNode);
        var edits = new List<TextEdit> { ReplaceList(yaml, tenantNode, "hosts", hosts, childIndent, newLine, after: null) };
        if (port is { } number)
        {
            var portNode = YamlText.Child(tenantNode, "port") ?? throw new ConfigException($"{file}: {environment}/{tenant} has no port");
            edits.Add(new TextEdit(YamlText.Start(portNode), YamlText.End(yaml, portNode), number.ToString(CultureInfo.InvariantCulture)));
        }
        if (slotPorts is not null)
        {
            var slotKey = YamlText.KeyOf(tenantNode, "slot_ports");
            if (slotPorts.Count == 0)
            {
                if (slotKey is not null) edits.Add(YamlText.RemoveLines(yaml, slotKey, tenantNode.Children[slotKey]));
            }
            else edits.Add(ReplaceList(yaml, tenantNode, "slot_ports", [.. slotPorts.Select(p => p.ToString(CultureInfo.InvariantCulture))], childIndent, newLine,
                after: YamlText.Child(tenantNode, "port")));
        }
        var result = YamlText.Apply(yaml, edits);
        var written = ReadBack(result, file).Environment(environment).Tenants[tenant];
        if (!written.Hosts.SequenceEqual(hosts) || (port is not null && written.Port != port) || (slotPorts is not null && !written.SlotPorts.SequenceEqual(slotPorts)))
            throw new InvalidOperationException($"the placement written for '{tenant}' does not read back as given; {file} was not changed");
        return result;
    }

    /// <summary>Removes the tenant's lines and its name from <c>rings:</c>; a ring left empty goes with it. Comments around it stay.</summary>
    public static string RemoveTenant(string yaml, string environment, string tenant, string file = "storagectl.yml")
    {
        var root = YamlText.Root(yaml, file);
        var (tenantKey, tenantNode, envNode) = Tenant(root, environment, tenant, file);
        var tenants = (YamlMappingNode)YamlText.Child(envNode, "tenants")!;
        if (tenants.Children.Count == 1) throw new ConfigException($"{file}: {tenant} is the only tenant of {environment}; remove the environment by hand");
        var edits = new List<TextEdit> { YamlText.RemoveLines(yaml, tenantKey, tenantNode) };
        if (YamlText.Child(envNode, "rings") is YamlSequenceNode rings
            && rings.Children.OfType<YamlSequenceNode>().FirstOrDefault(r => r.Children.OfType<YamlScalarNode>().Any(s => s.Value == tenant)) is { } ring)
        {
            edits.Add(ring.Children.Count > 1
                ? RemoveItem(yaml, ring, ring.Children.First(s => ((YamlScalarNode)s).Value == tenant))
                : RemoveItem(yaml, rings, ring));
        }
        var result = YamlText.Apply(yaml, edits);
        var config = ReadBack(result, file);
        if (config.Environment(environment).Tenants.ContainsKey(tenant))
            throw new InvalidOperationException($"'{tenant}' is still in {environment} after removing it; {file} was not changed");
        return result;
    }

    /// <summary>The edited text as the loader reads it; its problems as one line (the first, and how many more), since nothing was written.</summary>
    private static DeployConfig ReadBack(string yaml, string file)
    {
        try { return DeployConfigLoader.Parse(yaml, file); }
        catch (ConfigException e) when (e.Message.Contains('\n'))
        {
            var problems = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            throw new ConfigException($"{problems[0]} (and {problems.Length - 1} more)");
        }
    }

    private static (YamlMappingNode Environment, YamlMappingNode Tenants, YamlMappingNode EnvironmentNode) Tenants(YamlMappingNode root, string environment, string file)
    {
        var environments = YamlText.Child(root, "environments") as YamlMappingNode ?? throw new ConfigException($"{file}: no environments");
        if (YamlText.Child(environments, environment) is not YamlMappingNode envNode)
            throw new ConfigException($"{file}: no environment '{environment}' (known: {string.Join(", ", environments.Children.Keys)})");
        if (YamlText.Child(envNode, "tenants") is not YamlMappingNode tenants)
            throw new ConfigException($"{file}: {environment} has no tenants mapping");
        if (YamlText.IsFlow(tenants)) throw new ConfigException($"{file}: the tenants of {environment} are written as one flow mapping ({{…}}); edit it by hand");
        return (environments, tenants, envNode);
    }

    private static (YamlScalarNode Key, YamlMappingNode Tenant, YamlMappingNode Environment) Tenant(YamlMappingNode root, string environment, string tenant, string file)
    {
        var (_, tenants, envNode) = Tenants(root, environment, file);
        if (YamlText.KeyOf(tenants, tenant) is not { } key)
            throw new ConfigException($"{file}: {environment} has no tenant '{tenant}' (known: {string.Join(", ", tenants.Children.Keys)})");
        if (tenants.Children[key] is not YamlMappingNode node || YamlText.IsFlow(node))
            throw new ConfigException($"{file}: {environment}/{tenant} is not a block mapping; edit it by hand");
        return (key, node, envNode);
    }

    private static void RequireHosts(YamlMappingNode root, IEnumerable<string> hosts, string file)
    {
        var known = (YamlText.Child(root, "hosts") as YamlMappingNode)?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).ToList() ?? [];
        foreach (var host in hosts.Where(h => !known.Contains(h)))
            throw new ConfigException($"{file}: no host '{host}' under hosts (known: {string.Join(", ", known)})");
    }

    private static int ChildIndent(YamlScalarNode key, YamlMappingNode node) =>
        node.Children.Count > 0 ? YamlText.Column(node.Children.First().Key) : YamlText.Column(key) + 2;

    /// <summary>The sibling's key order, with keys it lacks where <see cref="KeyOrder"/> puts them.</summary>
    private static IReadOnlyList<string> Order(YamlNode sibling)
    {
        var order = sibling is YamlMappingNode mapping
            ? mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(KeyOrder.Contains).ToList()
            : [];
        foreach (var key in KeyOrder.Where(k => !order.Contains(k)))
        {
            var before = KeyOrder.Take(Array.IndexOf(KeyOrder, key)).LastOrDefault(order.Contains);
            order.Insert(before is null ? 0 : order.IndexOf(before) + 1, key);
        }
        return order;
    }

    /// <summary>Adds the tenant to a ring: after the ring's last name, in the ring's own style.</summary>
    private static TextEdit? RingEdit(string yaml, YamlMappingNode envNode, string environment, string tenant, int? ring, string file, string newLine)
    {
        if (YamlText.Child(envNode, "rings") is not YamlSequenceNode rings || rings.Children.Count == 0)
            return ring is null or 1 ? null : throw new ConfigException($"{file}: {environment} has no rings (one ring of all its tenants), so there is no ring {ring}");
        var number = ring ?? rings.Children.Count;
        if (number < 1 || number > rings.Children.Count)
            throw new ConfigException($"{file}: {environment} has rings 1 to {rings.Children.Count}; there is no ring {number}");
        if (rings.Children[number - 1] is not YamlSequenceNode { Children.Count: > 0 } target)
            throw new ConfigException($"{file}: ring {number} of {environment} is not a list of tenants");
        var last = target.Children[^1];
        var end = YamlText.End(yaml, last);
        if (YamlText.IsFlow(target)) return new TextEdit(end, end, ", " + tenant);
        var prefix = new string(' ', YamlText.Column(last) - 2) + "- ";
        var next = YamlText.NextLine(yaml, end);
        return new TextEdit(next, next, (next == yaml.Length && !yaml.EndsWith('\n') ? newLine : "") + prefix + tenant + newLine);
    }

    /// <summary>Removes one item of a sequence: with its comma in a flow one, with its lines in a block one.</summary>
    private static TextEdit RemoveItem(string yaml, YamlSequenceNode sequence, YamlNode item)
    {
        var index = sequence.Children.IndexOf(item);
        if (!YamlText.IsFlow(sequence)) return YamlText.RemoveLines(yaml, item, item);
        return index > 0
            ? new TextEdit(YamlText.End(yaml, sequence.Children[index - 1]), YamlText.End(yaml, item), "")
            : new TextEdit(YamlText.Start(item), sequence.Children.Count > 1 ? YamlText.Start(sequence.Children[1]) : YamlText.End(yaml, item), "");
    }

    /// <summary>Replaces a list's items in its own style, or adds the key (flow) after <paramref name="after"/>'s line.</summary>
    private static TextEdit ReplaceList(string yaml, YamlMappingNode tenant, string key, IReadOnlyList<string> items, int childIndent, string newLine, YamlNode? after)
    {
        var node = YamlText.Child(tenant, key);
        if (node is null)
        {
            var at = YamlText.NextLine(yaml, YamlText.End(yaml, after ?? tenant.Children.Last().Value));
            return new TextEdit(at, at, new string(' ', childIndent) + $"{key}: {Layout.FlowList(items, padded: false)}" + newLine);
        }
        if (node is YamlSequenceNode { Children.Count: > 0 } block && !YamlText.IsFlow(block))
        {
            var prefix = new string(' ', YamlText.Column(block.Children[0]) - 2) + "- ";
            return new TextEdit(YamlText.LineStart(yaml, YamlText.Start(block.Children[0])), YamlText.NextLine(yaml, YamlText.End(yaml, block)),
                string.Concat(items.Select(i => prefix + YamlText.Scalar(i, inFlow: false) + newLine)));
        }
        return new TextEdit(YamlText.Start(node), YamlText.End(yaml, node), Layout.FlowList(items, Layout.Padded(yaml, node)));
    }

    /// <summary>How the sibling tenant is laid out, so the new one reads like it.</summary>
    /// <summary>One key's value: flow (with or without spaces inside the brackets) or block (with the indentation of its items).</summary>
    private sealed record Style(bool Flow, bool Padded, int ItemIndent);

    private sealed record Layout(int KeyIndent, int ChildIndent, bool WholeFlow, IReadOnlyDictionary<string, Style> Styles)
    {
        public static Layout Of(string yaml, YamlScalarNode key, YamlNode value)
        {
            var keyIndent = YamlText.Column(key);
            if (value is not YamlMappingNode mapping || mapping.Children.Count == 0 || YamlText.IsFlow(value))
                return new Layout(keyIndent, keyIndent + 2, YamlText.IsFlow(value), new Dictionary<string, Style>());
            var childIndent = YamlText.Column(mapping.Children.First().Key);
            var styles = new Dictionary<string, Style>();
            foreach (var (childKey, child) in mapping.Children)
            {
                var name = ((YamlScalarNode)childKey).Value!;
                styles[name] = child switch
                {
                    _ when YamlText.IsFlow(child) => new Style(true, Padded(yaml, child), 0),
                    YamlSequenceNode { Children.Count: > 0 } s => new Style(false, false, YamlText.Column(s.Children[0]) - 2),
                    YamlMappingNode { Children.Count: > 0 } m => new Style(false, false, YamlText.Column(m.Children.First().Key)),
                    _ => new Style(true, false, 0),
                };
            }
            // A key the sibling lacks looks like its kin: slot_ports like hosts, secrets like env (and back).
            var step = childIndent - keyIndent;
            foreach (var (missing, kin, fallback) in new[] { ("slot_ports", "hosts", new Style(true, false, 0)), ("hosts", "slot_ports", new Style(true, false, 0)),
                         ("secrets", "env", new Style(false, false, childIndent + step)), ("env", "secrets", new Style(false, false, childIndent + step)) })
                if (!styles.ContainsKey(missing)) styles[missing] = styles.GetValueOrDefault(kin) ?? fallback;
            return new Layout(keyIndent, childIndent, false, styles);
        }

        public static bool Padded(string yaml, YamlNode flow)
        {
            var start = YamlText.Start(flow);
            return start + 1 < yaml.Length && yaml[start + 1] == ' ';
        }

        public static string FlowList(IEnumerable<string> items, bool padded) =>
            items.Any() ? (padded ? $"[ {string.Join(", ", items.Select(i => YamlText.Scalar(i, true)))} ]" : $"[{string.Join(", ", items.Select(i => YamlText.Scalar(i, true)))}]") : "[]";

        private static string FlowMap(IEnumerable<KeyValuePair<string, string>> pairs, bool padded)
        {
            var inner = string.Join(", ", pairs.Select(p => $"{p.Key}: {YamlText.Scalar(p.Value, true)}"));
            return padded ? $"{{ {inner} }}" : $"{{{inner}}}";
        }

        public string Render(NewTenant tenant, IReadOnlyList<string> order, string newLine)
        {
            var values = new List<(string Key, object Value)>();
            foreach (var key in order)
                switch (key)
                {
                    case "hosts": values.Add((key, tenant.Hosts)); break;
                    case "port": values.Add((key, tenant.Port.ToString(CultureInfo.InvariantCulture))); break;
                    case "public_url" when tenant.PublicUrl is not null: values.Add((key, tenant.PublicUrl)); break;
                    case "slot_ports" when tenant.SlotPorts.Count > 0:
                        values.Add((key, (IReadOnlyList<string>)[.. tenant.SlotPorts.Select(p => p.ToString(CultureInfo.InvariantCulture))])); break;
                    case "env" when tenant.Env.Count > 0: values.Add((key, tenant.Env)); break;
                    case "secrets" when tenant.Secrets.Count > 0: values.Add((key, tenant.Secrets)); break;
                }
            var keyIndent = new string(' ', KeyIndent);
            if (WholeFlow)
                return keyIndent + tenant.Name + ": { " + string.Join(", ", values.Select(v => $"{v.Key}: {Inline(v.Value, padded: false)}")) + " }" + newLine;

            var text = new StringBuilder(keyIndent).Append(tenant.Name).Append(':').Append(newLine);
            var indent = new string(' ', ChildIndent);
            foreach (var (key, value) in values)
            {
                var style = Styles.GetValueOrDefault(key) ?? new Style(true, false, 0);
                text.Append(indent).Append(key).Append(':');
                if (value is string scalar || style.Flow)
                {
                    text.Append(' ').Append(value is string s ? YamlText.Scalar(s, inFlow: false) : Inline(value, style.Padded)).Append(newLine);
                    continue;
                }
                text.Append(newLine);
                var itemIndent = new string(' ', style.ItemIndent);
                if (value is IReadOnlyList<string> items)
                    foreach (var item in items) text.Append(itemIndent).Append("- ").Append(YamlText.Scalar(item, inFlow: false)).Append(newLine);
                else
                    foreach (var (name, item) in (IReadOnlyList<KeyValuePair<string, string>>)value)
                        text.Append(itemIndent).Append(name).Append(": ").Append(YamlText.Scalar(item, inFlow: false)).Append(newLine);
            }
            return text.ToString();
        }

        private static string Inline(object value, bool padded) => value switch
        {
            string s => YamlText.Scalar(s, inFlow: true),
            IReadOnlyList<string> items => FlowList(items, padded),
            IReadOnlyList<KeyValuePair<string, string>> pairs => FlowMap(pairs, padded),
            _ => throw new InvalidOperationException(),
        };
    }
}
