using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StorageApi.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class TenantLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TenantLimits",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    RequestsPerMinute = table.Column<int>(type: "integer", nullable: true),
                    RequestBurst = table.Column<int>(type: "integer", nullable: true),
                    UploadBytesPerMinute = table.Column<long>(type: "bigint", nullable: true),
                    ConcurrentUploads = table.Column<int>(type: "integer", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantLimits", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_TenantLimits_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TenantLimits");
        }
    }
}
