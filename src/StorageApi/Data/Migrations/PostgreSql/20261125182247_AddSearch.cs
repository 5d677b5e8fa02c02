using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace StorageApi.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AddSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EmbeddingQueue",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<string>(type: "character varying(63)", nullable: false),
                    ObjectId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    EnqueuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmbeddingQueue", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EmbeddingQueue_Objects_ObjectId",
                        column: x => x.ObjectId,
                        principalTable: "Objects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EmbeddingQueue_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ObjectTexts",
                columns: table => new
                {
                    RowId = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<string>(type: "character varying(63)", nullable: false),
                    ObjectId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    Tags = table.Column<string>(type: "text", nullable: false),
                    Collection = table.Column<string>(type: "text", nullable: false),
                    Filename = table.Column<string>(type: "text", nullable: false),
                    Metadata = table.Column<string>(type: "text", nullable: false),
                    Content = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ObjectTexts", x => x.RowId);
                    table.ForeignKey(
                        name: "FK_ObjectTexts_Objects_ObjectId",
                        column: x => x.ObjectId,
                        principalTable: "Objects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ObjectTexts_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VectorSets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<string>(type: "character varying(63)", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Endpoint = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Dimensions = table.Column<int>(type: "integer", nullable: true),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VectorSets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VectorSets_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ObjectVectors",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "text", nullable: false),
                    SetId = table.Column<long>(type: "bigint", nullable: false),
                    ObjectId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Vector = table.Column<byte[]>(type: "bytea", nullable: false),
                    EmbeddedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ObjectVectors", x => new { x.TenantId, x.SetId, x.ObjectId });
                    table.ForeignKey(
                        name: "FK_ObjectVectors_Objects_ObjectId",
                        column: x => x.ObjectId,
                        principalTable: "Objects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ObjectVectors_VectorSets_SetId",
                        column: x => x.SetId,
                        principalTable: "VectorSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EmbeddingQueue_NextAttemptAt",
                table: "EmbeddingQueue",
                column: "NextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_EmbeddingQueue_ObjectId",
                table: "EmbeddingQueue",
                column: "ObjectId");

            migrationBuilder.CreateIndex(
                name: "IX_EmbeddingQueue_TenantId_ObjectId",
                table: "EmbeddingQueue",
                columns: new[] { "TenantId", "ObjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ObjectTexts_ObjectId",
                table: "ObjectTexts",
                column: "ObjectId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ObjectTexts_TenantId",
                table: "ObjectTexts",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_ObjectVectors_ObjectId",
                table: "ObjectVectors",
                column: "ObjectId");

            migrationBuilder.CreateIndex(
                name: "IX_ObjectVectors_SetId",
                table: "ObjectVectors",
                column: "SetId");

            migrationBuilder.CreateIndex(
                name: "IX_VectorSets_TenantId_State",
                table: "VectorSets",
                columns: new[] { "TenantId", "State" },
                unique: true);

            // Keyword search: a weighted tsvector kept by PostgreSQL itself ('simple': no stemming, as with FTS5), GIN-indexed.
            migrationBuilder.Sql("""
                ALTER TABLE "ObjectTexts" ADD COLUMN "Keywords" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('simple', "Title"), 'A') ||
                    setweight(to_tsvector('simple', "Filename" || ' ' || "Tags"), 'B') ||
                    setweight(to_tsvector('simple', "Description" || ' ' || "Collection" || ' ' || "Metadata"), 'C') ||
                    setweight(to_tsvector('simple', "Content"), 'D')) STORED;
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_ObjectTexts_Keywords" ON "ObjectTexts" USING GIN ("Keywords");""");

            // Objects stored before search existed: the worker embeds them and writes their texts.
            migrationBuilder.Sql("""
                INSERT INTO "EmbeddingQueue" ("TenantId", "ObjectId", "Revision", "EnqueuedAt", "Attempts", "NextAttemptAt")
                SELECT "TenantId", "Id", 1, now(), 0, now() FROM "Objects";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmbeddingQueue");

            migrationBuilder.DropTable(
                name: "ObjectTexts");

            migrationBuilder.DropTable(
                name: "ObjectVectors");

            migrationBuilder.DropTable(
                name: "VectorSets");
        }
    }
}
