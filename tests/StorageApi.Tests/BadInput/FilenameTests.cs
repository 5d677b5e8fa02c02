using System.Text;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>A file name is a name: paths, control characters and empty names are refused, raw or multipart.</summary>
public sealed class FilenameTests
{
    public static TheoryData<string> BadNames => ["../../etc/passwd", "..", "dir/file.txt", "..\\windows.ini", "/etc/hosts", "tab\there.txt", "nul\0.txt", "bell\u0007.txt", "line\nbreak.txt", "   "];

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task A_raw_upload_with_a_path_or_control_characters_in_its_name_is_400(string name)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await stocked.Acme.Http.PostAsync("/v1/objects?filename=" + Uri.EscapeDataString(name), new StringContent("x"));

        await response.ShouldBeProblemAsync(400);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Theory]
    [InlineData("../../escape.txt")]
    [InlineData("sub/dir.txt")]
    [InlineData("C:\\\\evil.txt")]
    [InlineData("ctl\u0001.txt")]
    public async Task A_multipart_file_with_a_path_or_control_characters_in_its_name_is_400(string name)
    {
        await using var stocked = await StockedService.StartAsync();
        var body = $"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\nx\r\n--b--\r\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");

        var response = await stocked.Acme.Http.PostAsync("/v1/objects", content);

        await response.ShouldBeProblemAsync(400);
        await stocked.ShouldBeUnchangedAsync();
        Directory.EnumerateFiles(stocked.Service.Root, "escape.txt", SearchOption.AllDirectories).ShouldBeEmpty();
    }
}
