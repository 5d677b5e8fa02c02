using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StorageApi.Data.Migrations.PostgreSql
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
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
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
