using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StorageApi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ObjectChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(
                table: "ChangeCounters",
                columns: new[] { "Name", "Value" },
                values: new object[] { "objects", 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                table: "ChangeCounters",
                keyColumn: "Name",
                keyValue: "objects");
        }
    }
}
