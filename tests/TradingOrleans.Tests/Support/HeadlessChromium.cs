using System.Diagnostics;

namespace TradingOrleans.Tests.Support;

/// <summary>
/// Debian's headless Chromium opening a page from a file and printing its DOM after the page's scripts ran
/// (<c>--dump-dom</c>). Each run has its own temp folder for the page and the browser profile, deleted after, so
/// parallel tests never share a profile; a run past its timeout is killed with its child processes.
/// </summary>
public static class HeadlessChromium
{
    private static readonly string[] Binaries = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"];

    public static async Task<string> DumpDomAsync(string html, TimeSpan timeout)
    {
        var binary = Binaries.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"No Chromium at {string.Join(" or ", Binaries)}: install Debian's chromium-headless-shell (test.sh does).");
        var folder = Directory.CreateTempSubdirectory("chromium-");
        try
        {
            var page = Path.Combine(folder.FullName, "page.html");
            await File.WriteAllTextAsync(page, html);
            // --no-sandbox: Chromium refuses to run as root (CI's user) with its sandbox. The virtual-time budget
            // lets the load event and its handlers run before the DOM is printed.
            return await RunAsync(binary, timeout,
                "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={Path.Combine(folder.FullName, "profile")}",
                "--virtual-time-budget=5000", "--dump-dom", new Uri(page).AbsoluteUri);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string binary, TimeSpan timeout, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await Task.WhenAll(process.WaitForExitAsync(deadline.Token), output.WaitAsync(deadline.Token), errors.WaitAsync(deadline.Token));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{binary} did not print the page's DOM within {timeout.TotalSeconds} s.");
        }

        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{binary} failed ({process.ExitCode}): {await errors}");
    }
}
