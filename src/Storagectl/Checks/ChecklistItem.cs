namespace Storagectl.Checks;

public enum CheckStatus { Passed, Failed, Skipped, Manual }

/// <summary>One line of the deployment checklist: a gate a machine judged, or an item a person must do.</summary>
public sealed record ChecklistItem(string Title, CheckStatus Status, string Detail = "")
{
    public static ChecklistItem Pass(string title, string detail = "") => new(title, CheckStatus.Passed, detail);
    public static ChecklistItem Fail(string title, string detail) => new(title, CheckStatus.Failed, detail);
    public static ChecklistItem Skip(string title, string detail) => new(title, CheckStatus.Skipped, detail);
    public static ChecklistItem ForPeople(string title) => new(title, CheckStatus.Manual);

    public override string ToString()
    {
        var mark = Status switch { CheckStatus.Passed => "[ok]  ", CheckStatus.Failed => "[FAIL]", CheckStatus.Skipped => "[skip]", _ => "[ ]   " };
        return Detail.Length == 0 ? $"{mark} {Title}" : $"{mark} {Title}: {Detail}";
    }
}
