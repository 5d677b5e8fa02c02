using Microsoft.EntityFrameworkCore;

namespace StorageApi.Data;

public sealed class SqliteStorageDb(DbContextOptions<SqliteStorageDb> options) : StorageDb(options);

public sealed class PostgreSqlStorageDb(DbContextOptions<PostgreSqlStorageDb> options) : StorageDb(options);
