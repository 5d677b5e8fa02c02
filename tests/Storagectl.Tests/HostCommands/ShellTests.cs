using Storagectl.HostCommands;

namespace Storagectl.Tests.HostCommands;

public sealed class ShellTests
{
    [Theory]
    [InlineData("/srv/storage/acme", "/srv/storage/acme")]
    [InlineData("", "''")]
    [InlineData("my storage", "'my storage'")]
    [InlineData("it's", "'it'\"'\"'s'")]
    [InlineData("$(rm -rf /)", "'$(rm -rf /)'")]
    public void Quote_leaves_plain_words_alone_and_single_quotes_the_rest(string value, string quoted) =>
        Shell.Quote(value).ShouldBe(quoted);

    [Fact]
    public void All_stops_at_the_first_failure_and_Lines_sets_e() =>
        (Shell.All("a", "b"), Shell.Lines("a", "b")).ShouldBe(("a && b", "set -e\na\nb"));

    [Fact]
    public void A_script_for_ssh_arrives_as_one_quoted_word() =>
        Shell.InBash("echo 'hi'").ShouldBe("bash -c 'echo '\"'\"'hi'\"'\"''");
}
