using Storagectl.HostCommands;

namespace Storagectl.Tests.HostCommands;

public sealed class ArtifactCommandsTests
{
    private const string Upload = "/srv/storage/acme/uploads/storage-api-2.0.0.tar.gz";

    [Fact]
    public void Receive_writes_stdin_to_a_part_file_that_a_failed_write_removes() =>
        ArtifactCommands.Receive(Upload).ShouldBe(
            "mkdir -p \"$(dirname /srv/storage/acme/uploads/storage-api-2.0.0.tar.gz.part)\" && " +
            "{ cat > /srv/storage/acme/uploads/storage-api-2.0.0.tar.gz.part || { rm -f /srv/storage/acme/uploads/storage-api-2.0.0.tar.gz.part; exit 1; }; }");

    [Fact]
    public void VerifyAndPlace_moves_the_part_file_only_when_its_sha256_matches() =>
        ArtifactCommands.VerifyAndPlace(Upload, "abc123").ShouldBe(
            "echo 'abc123  /srv/storage/acme/uploads/storage-api-2.0.0.tar.gz.part' | sha256sum -c --quiet - && " +
            "mv /srv/storage/acme/uploads/storage-api-2.0.0.tar.gz.part /srv/storage/acme/uploads/storage-api-2.0.0.tar.gz" +
            " || { rm -f /srv/storage/acme/uploads/storage-api-2.0.0.tar.gz.part; echo 'the uploaded artifact does not match its sha256' >&2; exit 1; }");

    [Fact]
    public void Remove_deletes_the_upload_and_its_part() =>
        ArtifactCommands.Remove(Upload).ShouldBe($"rm -f {Upload} {Upload}.part");
}
