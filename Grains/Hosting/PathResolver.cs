namespace TradingOrleans.Grains.Hosting;

/// <summary>Finds a configured relative path whether the process runs from the repository root, a project folder or bin/.</summary>
public static class PathResolver
{
    /// <summary>The first existing match of <paramref name="path"/> in the working folder, the app folder, or any of their parents.</summary>
    public static string? FindExisting(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return Directory.Exists(path) || File.Exists(path) ? path : null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, path);
                if (Directory.Exists(candidate) || File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Where a relative output path goes: under the checkout's root when the process runs inside one (<c>dotnet run
    /// --project Silo</c> runs in Silo/, but a user means the folder they typed the command in), else the working folder.
    /// </summary>
    public static string ForOutput(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "TradingOrleans.sln")))
            {
                return Path.Combine(folder.FullName, path);
            }
        }

        return Path.GetFullPath(path);
    }
}
