using Microsoft.Data.Sqlite;

namespace Cluster.Silo.Tests.Fixtures;

/// <summary>A fresh, empty directory for one test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cluster-silo-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The SQLite connection string of a database file inside this directory.</summary>
    public string SqliteConnectionString(string file = "cluster.db") => $"Data Source={System.IO.Path.Combine(Path, file)}";

    public void Dispose()
    {
        // Pooled connections would keep the file open after the hosts are gone.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
