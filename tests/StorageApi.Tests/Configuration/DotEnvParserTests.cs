using DotEnv;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Configuration;

/// <summary>Every form of the dotenv dialect that storage-api reads (and storagectl writes), line by line.</summary>
public sealed class DotEnvParserTests
{
    private static string ValueOf(string line)
    {
        var document = DotEnvParser.Parse(line, ".env");
        document.Errors.ShouldBeEmpty();
        return document.Entries.ShouldHaveSingleItem().Value;
    }

    private static string ErrorOf(string text) => DotEnvParser.Parse(text, "/srv/acme/shared/.env").Errors.ShouldHaveSingleItem();

    [Theory]
    [InlineData("KEY=value", "value")]
    [InlineData("export KEY=value", "value")]
    [InlineData("export\tKEY=value", "value")]
    [InlineData("  KEY = value  ", "value")]
    [InlineData("KEY\t=\tvalue", "value")]
    [InlineData("KEY=", "")]
    [InlineData("KEY=   ", "")]
    [InlineData("KEY=''", "")]
    [InlineData("KEY=\"\"", "")]
    [InlineData("KEY=two words", "two words")]
    [InlineData("KEY=sqlite:////srv/acme/shared/data/storage.db", "sqlite:////srv/acme/shared/data/storage.db")]
    [InlineData("KEY=a=b=c", "a=b=c")]
    [InlineData("KEY=$HOME", "$HOME")]
    [InlineData("KEY=C:\\path\\n", "C:\\path\\n")]
    public void Plain_values(string line, string expected) => ValueOf(line).ShouldBe(expected);

    [Theory]
    [InlineData("ADMIN_API_KEY=k3y-v4lue   # rotated 2026-11", "k3y-v4lue")]
    [InlineData("KEY=value\t# a comment", "value")]
    [InlineData("KEY= # only a comment", "")]
    [InlineData("KEY=pass#word", "pass#word")]
    [InlineData("KEY=#starts-with-hash", "#starts-with-hash")]
    [InlineData("KEY=a#b # c", "a#b")]
    public void An_inline_comment_needs_whitespace_before_its_hash(string line, string expected) => ValueOf(line).ShouldBe(expected);

    [Theory]
    [InlineData("KEY='  spaced  '", "  spaced  ")]
    [InlineData("KEY='a # not a comment'", "a # not a comment")]
    [InlineData("KEY='back\\slash \\n \"double\" $VAR'", "back\\slash \\n \"double\" $VAR")]
    [InlineData("KEY='value' # comment", "value")]
    [InlineData("KEY = 'value'", "value")]
    public void Single_quotes_are_literal(string line, string expected) => ValueOf(line).ShouldBe(expected);

    [Theory]
    [InlineData("KEY=\"line one\\nline two\"", "line one\nline two")]
    [InlineData("KEY=\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("KEY=\"back\\\\slash\"", "back\\slash")]
    [InlineData("KEY=\"tab\\there\\r\"", "tab\there\r")]
    [InlineData("KEY=\"other \\d escapes stay\"", "other \\d escapes stay")]
    [InlineData("KEY=\"it's # not a comment\" # but this is", "it's # not a comment")]
    [InlineData("export KEY=\"$NOT_EXPANDED\"", "$NOT_EXPANDED")]
    public void Double_quotes_have_escapes(string line, string expected) => ValueOf(line).ShouldBe(expected);

    [Fact]
    public void Comments_blank_lines_crlf_and_a_byte_order_mark_are_read_as_nothing_more()
    {
        var text = "\uFEFF# shared/.env\r\n\r\n   # indented comment\r\nFIRST=one\r\nSECOND='two'\r\nTHIRD=\"three\"\r\n";

        var document = DotEnvParser.Parse(text, ".env");

        document.Errors.ShouldBeEmpty();
        document.Entries.Select(e => (e.Key, e.Value, e.Line)).ShouldBe([("FIRST", "one", 4), ("SECOND", "two", 5), ("THIRD", "three", 6)]);
    }

    [Fact]
    public void A_key_set_twice_is_an_error_naming_both_lines_and_keeping_the_first()
    {
        var document = DotEnvParser.Parse("ADMIN_API_KEY=old-key\nOTHER=x\nADMIN_API_KEY=new-key\n", "/srv/acme/shared/.env");

        document.Errors.ShouldHaveSingleItem().ShouldBe("/srv/acme/shared/.env:3: ADMIN_API_KEY is set again (first on line 1); keep one");
        document.Values["ADMIN_API_KEY"].ShouldBe("old-key");
    }

    [Theory]
    [InlineData("not a line", "/srv/acme/shared/.env:1: expected KEY=value")]
    [InlineData("sk_pasted-secret-without-a-key", "/srv/acme/shared/.env:1: expected KEY=value")]
    [InlineData("=value", "/srv/acme/shared/.env:1: expected KEY=value")]
    [InlineData("export", "/srv/acme/shared/.env:1: expected KEY=value")]
    [InlineData("MY-KEY=value", "/srv/acme/shared/.env:1: expected KEY=value")]
    [InlineData("1KEY=value", "/srv/acme/shared/.env:1: 1KEY: a key cannot start with a digit")]
    [InlineData("KEY='unterminated", "/srv/acme/shared/.env:1: KEY: the ' quote is not closed on this line")]
    [InlineData("KEY=\"unterminated\\\"", "/srv/acme/shared/.env:1: KEY: the \" quote is not closed on this line")]
    [InlineData("KEY='value' trailing", "/srv/acme/shared/.env:1: KEY: unexpected text after the closing ' quote")]
    public void A_malformed_line_names_the_file_and_line_and_never_the_value(string line, string expected)
    {
        var error = ErrorOf(line);

        error.ShouldBe(expected);
        error.ShouldNotContain("pasted-secret");
        error.ShouldNotContain("unterminated");
        error.ShouldNotContain("trailing");
    }

    [Fact]
    public void Errors_count_lines_from_one_including_comments_and_blank_ones()
    {
        ErrorOf("# comment\n\nGOOD=1\nbroken\n").ShouldBe("/srv/acme/shared/.env:4: expected KEY=value");
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("  leading and trailing  ")]
    [InlineData("pass #word")]
    [InlineData("tab\t#hash")]
    [InlineData("'starts with a quote")]
    [InlineData("\"double\" and 'single'")]
    [InlineData("line\nbreak\r\n")]
    [InlineData("back\\slash\\n and \\\" quote")]
    [InlineData("#hash first")]
    [InlineData("$dollar ${VAR}")]
    public void What_the_writer_writes_reads_back_unchanged(string value)
    {
        var document = DotEnvParser.Parse(DotEnvFormat.Line("KEY", value), ".env");

        document.Errors.ShouldBeEmpty();
        document.Values["KEY"].ShouldBe(value);
    }

    [Fact]
    public void Random_values_read_back_unchanged()
    {
        var random = new Random(20261125);
        const string alphabet = "ab #'\"\\\t\n\r=$`";
        for (var i = 0; i < 2000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            DotEnvParser.Parse(DotEnvFormat.Line("KEY", value), ".env").Values["KEY"].ShouldBe(value, $"written as {DotEnvFormat.Value(value)}");
        }
    }

    [Fact]
    public void A_missing_file_sets_nothing()
    {
        using var folder = new TempFolder();
        var document = DotEnvParser.ReadFile(folder.Combine(".env"));

        document.Entries.ShouldBeEmpty();
        document.Errors.ShouldBeEmpty();
    }
}
