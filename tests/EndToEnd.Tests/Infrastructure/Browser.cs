using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven through Debian's chromedriver by Selenium (no driver or browser downloaded),
/// with a profile of its own and a viewport of an exact size.
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly TempFolder _profile = new("chromium-");

    private Browser(int width, int height)
    {
        Prerequisites.RequireOnPath("chromium");
        Prerequisites.RequireOnPath("chromedriver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Which("chromedriver"))!, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Which("chromium") };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
            $"--user-data-dir={_profile.Path}", $"--window-size={width},{height}");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Resize(width, height);
    }

    public ChromeDriver Driver { get; }

    public static Browser Start(int width = 1280, int height = 800) => new(width, height);

    /// <summary>The page's viewport, exactly (the window's size includes none of a headed browser's frame, but say so anyway).</summary>
    public void Resize(int width, int height) =>
        Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = width < 600,
        });

    /// <summary>Saves what the viewport shows as a PNG under TestResults/screenshots (CI keeps it as an artifact).</summary>
    public string Screenshot(string name)
    {
        var folder = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(file);
        return file;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, reading the page every 100 ms; fails with what the page said last.</summary>
    public async Task<T> UntilAsync<T>(Func<IWebDriver, T?> condition, TimeSpan timeout, string waitingFor)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (condition(Driver) is { } result && !Equals(result, false)) return result;
            }
            catch (WebDriverException e) { last = e; } // an element replaced by the refresh while it was read
            await Task.Delay(100);
        }
        throw new TimeoutException($"waited {timeout} for {waitingFor}; the page said:\n{Driver.FindElement(By.TagName("body")).Text}\n{last}");
    }

    private static string Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(f => Path.Combine(f, program)).First(File.Exists);

    public void Dispose()
    {
        Driver.Quit();
        _profile.Dispose();
    }
}
