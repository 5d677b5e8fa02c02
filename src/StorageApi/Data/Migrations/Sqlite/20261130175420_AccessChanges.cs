using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StorageApi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccessChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChangeCounters",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChangeCounters", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "ChangeCounters",
                columns: new[] { "Name", "Value" },
                values: new object[] { "access", 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChangeCounters");
        }
    }
}
