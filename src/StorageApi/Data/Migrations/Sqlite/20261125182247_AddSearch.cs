using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StorageApi.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    ObjectId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    EnqueuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
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
                    RowId = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    ObjectId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    Collection = table.Column<string>(type: "TEXT", nullable: false),
                    Filename = table.Column<string>(type: "TEXT", nullable: false),
                    Metadata = table.Column<string>(type: "TEXT", nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Dimensions = table.Column<int>(type: "INTEGER", nullable: true),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    SetId = table.Column<long>(type: "INTEGER", nullable: false),
                    ObjectId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Vector = table.Column<byte[]>(type: "BLOB", nullable: false),
                    EmbeddedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            // Keyword search: an FTS5 index over ObjectTexts (its external content), kept in step by triggers, so the
            // app only writes ObjectTexts and a cascade from Objects cleans up too. Lookups join back to ObjectTexts
            // and filter on its exact TenantId.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE ObjectKeywords USING fts5(
                    Title, Description, Tags, Collection, Filename, Metadata, Content,
                    content = 'ObjectTexts', content_rowid = 'RowId',
                    tokenize = 'unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER ObjectTexts_AfterInsert AFTER INSERT ON ObjectTexts BEGIN
                    INSERT INTO ObjectKeywords (rowid, Title, Description, Tags, Collection, Filename, Metadata, Content) VALUES (new.RowId, new.Title, new.Description, new.Tags, new.Collection, new.Filename, new.Metadata, new.Content);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER ObjectTexts_AfterDelete AFTER DELETE ON ObjectTexts BEGIN
                    INSERT INTO ObjectKeywords (ObjectKeywords, rowid, Title, Description, Tags, Collection, Filename, Metadata, Content) VALUES ('delete', old.RowId, old.Title, old.Description, old.Tags, old.Collection, old.Filename, old.Metadata, old.Content);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER ObjectTexts_AfterUpdate AFTER UPDATE ON ObjectTexts BEGIN
                    INSERT INTO ObjectKeywords (ObjectKeywords, rowid, Title, Description, Tags, Collection, Filename, Metadata, Content) VALUES ('delete', old.RowId, old.Title, old.Description, old.Tags, old.Collection, old.Filename, old.Metadata, old.Content);
                    INSERT INTO ObjectKeywords (rowid, Title, Description, Tags, Collection, Filename, Metadata, Content) VALUES (new.RowId, new.Title, new.Description, new.Tags, new.Collection, new.Filename, new.Metadata, new.Content);
                END;
                """);

            // Objects stored before search existed: the worker embeds them and writes their texts.
            migrationBuilder.Sql("""
                INSERT INTO EmbeddingQueue (TenantId, ObjectId, Revision, EnqueuedAt, Attempts, NextAttemptAt)
                SELECT TenantId, Id, 1, strftime('%Y-%m-%d %H:%M:%f', 'now'), 0, strftime('%Y-%m-%d %H:%M:%f', 'now') FROM Objects;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER ObjectTexts_AfterInsert;");
            migrationBuilder.Sql("DROP TRIGGER ObjectTexts_AfterDelete;");
            migrationBuilder.Sql("DROP TRIGGER ObjectTexts_AfterUpdate;");
            migrationBuilder.Sql("DROP TABLE ObjectKeywords;");

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
