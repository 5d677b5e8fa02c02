using StorageApi.Configuration;

namespace StorageApi.Tests.Configuration;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void Three_slashes_is_relative_four_is_absolute()
    {
        var relative = DatabaseUrl.Parse("sqlite:///data/app.db", "/srv/work", out var isRelative);
        isRelative.ShouldBeTrue();
        relative.SqlitePath.ShouldBe("/srv/work/data/app.db");

        var absolute = DatabaseUrl.Parse("sqlite:////var/lib/app.db", "/srv/work", out isRelative);
        isRelative.ShouldBeFalse();
        absolute.SqlitePath.ShouldBe("/var/lib/app.db");
        absolute.Display.ShouldBe("sqlite:////var/lib/app.db");
    }

    [Fact]
    public void Postgresql_urls_are_parsed_and_the_password_is_never_displayed()
    {
        var url = DatabaseUrl.Parse("postgresql://storage:s%40cret@db.internal:6543/acme", "/", out _);

        url.Provider.ShouldBe(DatabaseProvider.PostgreSql);
        url.ConnectionString.ShouldBe("Host=db.internal;Port=6543;Database=acme;Username=storage;Password=s@cret");
        url.Display.ShouldBe("postgresql://storage:***@db.internal:6543/acme");
        url.ToString().ShouldNotContain("cret");
        DatabaseUrl.Parse("postgres://u@localhost/db", "/", out _).ConnectionString.ShouldBe("Host=localhost;Port=5432;Database=db;Username=u");
    }

    [Theory]
    [InlineData("sqlite://")]
    [InlineData("sqlite:///")]
    [InlineData("sqlite:///x.db?mode=memory")]
    [InlineData("postgresql://host-only")]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("/var/lib/app.db")]
    public void Anything_else_is_a_format_error(string value) =>
        Should.Throw<FormatException>(() => DatabaseUrl.Parse(value, "/", out _));
}
