using Storagectl.Planning;

namespace Storagectl.Tests.Planning;

internal static class TargetPlanSteps
{
    /// <summary>Every step of a target, phase after phase, for tests that look for one wherever it is.</summary>
    public static IEnumerable<Step> AllSteps(this TargetPlan target) => target.Prepare.Concat(target.Switch).Concat(target.Finish);
}
