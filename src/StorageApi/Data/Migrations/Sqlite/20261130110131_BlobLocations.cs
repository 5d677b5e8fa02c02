using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StorageApi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BlobLocations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Blobs",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Store = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Blobs", x => new { x.TenantId, x.Sha256 });
                    table.ForeignKey(
                        name: "FK_Blobs_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InstanceFacts",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstanceFacts", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Blobs_Store_Key",
                table: "Blobs",
                columns: new[] { "Store", "Key" },
                unique: true);

            // Every (tenant, sha256) stored so far lies in the data folder under the content-addressed name of the time.
            migrationBuilder.Sql(
                "INSERT INTO \"Blobs\" (\"TenantId\", \"Sha256\", \"Store\", \"Key\", \"Size\", \"CreatedAt\") " +
                "SELECT \"TenantId\", \"Sha256\", 'file:', \"TenantId\" || '/' || substr(\"Sha256\", 1, 2) || '/' || \"Sha256\", MAX(\"Size\"), MIN(\"CreatedAt\") " +
                "FROM \"Objects\" GROUP BY \"TenantId\", \"Sha256\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Blobs");

            migrationBuilder.DropTable(
                name: "InstanceFacts");
        }
    }
}
