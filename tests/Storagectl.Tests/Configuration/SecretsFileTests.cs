using Storagectl.Configuration;

namespace Storagectl.Tests.Configuration;

/// <summary>
/// secrets_file is read in the same dotenv dialect as the service's .env (the parser is one source file compiled
/// into both), so a line copied from one to the other means the same thing.
/// </summary>
public sealed class SecretsFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("secrets-file-");

    private string Write(string text)
    {
        var file = Path.Combine(_folder.FullName, "secrets.env");
        File.WriteAllText(file, text);
        return file;
    }

    [Fact]
    public void Every_form_reads_as_the_service_reads_it()
    {
        var file = Write("\uFEFF# deploy secrets\r\n" +
                         "ACME_ADMIN=k3y-v4lue   # rotated 2026-11\r\n" +
                         "export ACME_SIGNING = 'single # literal \\n'\r\n" +
                         "GLOBEX_ADMIN=\"with \\\"escapes\\\"\\nand a line break\"\r\n" +
                         "GLOBEX_SIGNING=pass#word\r\n" +
                         "EMPTY=\r\n");

        var values = SecretSource.ReadFile(file);

        values["ACME_ADMIN"].ShouldBe("k3y-v4lue");
        values["ACME_SIGNING"].ShouldBe("single # literal \\n");
        values["GLOBEX_ADMIN"].ShouldBe("with \"escapes\"\nand a line break");
        values["GLOBEX_SIGNING"].ShouldBe("pass#word");
        values["EMPTY"].ShouldBe("");
    }

    [Fact]
    public void A_malformed_file_stops_the_run_naming_file_and_line_but_no_value()
    {
        var file = Write("ACME_ADMIN=first\nsk_pasted-secret\nACME_SIGNING='never closed\nACME_ADMIN=second\n");

        var error = Should.Throw<ConfigException>(() => SecretSource.ReadFile(file));

        error.Message.Split(Environment.NewLine).ShouldBe([
            $"{file}:2: expected KEY=value",
            $"{file}:3: ACME_SIGNING: the ' quote is not closed on this line",
            $"{file}:4: ACME_ADMIN is set again (first on line 1); keep one"]);
        error.Message.ShouldNotContain("pasted-secret");
        error.Message.ShouldNotContain("never closed");
    }

    [Fact]
    public void A_missing_file_sets_nothing() =>
        SecretSource.ReadFile(Path.Combine(_folder.FullName, "absent.env")).ShouldBeEmpty();

    public void Dispose() => _folder.Delete(recursive: true);
}
