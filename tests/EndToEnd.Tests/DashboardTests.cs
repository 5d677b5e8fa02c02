using System.Collections.Concurrent;
using System.Net;
using EndToEnd.Tests.Infrastructure;
using OpenQA.Selenium;

namespace EndToEnd.Tests;

/// <summary>
/// `storagectl dashboard` in a real Chromium against the real fleet (sshd + nginx on 127.0.0.1): the tenants and their
/// versions, a deploy started from the CLI shown live to its end, a rollback clicked and confirmed in the page while a
/// client keeps asking, and the token that keeps everyone else out.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class DashboardTests(Artifacts artifacts)
{
    private static readonly TimeSpan PageUpdate = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_page_shows_the_fleet_follows_a_CLI_deploy_live_and_rolls_a_tenant_back_when_asked_with_only_200s_meanwhile()
    {
        await using var fleet = await TestFleet.StartAsync();
        (await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        await using var dashboard = await DashboardProcess.StartAsync(fleet);

        using (var stranger = new HttpClient())
        {
            var refused = await stranger.GetAsync(dashboard.Address);
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        using var browser = Browser.Start(1280, 800);
        browser.Driver.Navigate().GoToUrl(dashboard.Url);
        browser.Driver.Url.ShouldNotContain("token="); // the redirect took it out of the address bar
        await browser.UntilAsync(d => Versions(d) is { Count: 3 } versions && versions.Values.All(v => v == "1.0.0") ? versions : null, PageUpdate,
            "the three tenants on 1.0.0");

        // A deploy from the CLI, in another process: the page follows it while it runs, then shows how it ended.
        var deploy = fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2);
        var stepsSeen = new HashSet<string>();
        while (!deploy.IsCompleted)
        {
            try
            {
                var run = browser.Driver.FindElement(By.Id("run-production")).Text;
                if (run.Contains("Run: deploy 2.0.0 by e2e-test") && run.Contains("running for"))
                    stepsSeen.Add(browser.Driver.FindElement(By.CssSelector("#run-production table.run tbody tr td:nth-child(2)")).Text);
            }
            catch (WebDriverException) { } // replaced by a refresh while it was read
            await Task.Delay(100);
        }
        var deployed = await deploy;
        deployed.ExitCode.ShouldBe(0, deployed.ToString());
        stepsSeen.ShouldNotBeEmpty("the page never showed the deploy running");
        await browser.UntilAsync(d => d.FindElement(By.Id("run-production")).Text.Replace('\u00a0', ' ').Contains("✓ succeeded") && Versions(d).GetValueOrDefault("acme") == "2.0.0", PageUpdate,
            "the deploy's end and acme on 2.0.0");

        // A rollback clicked in the page and confirmed with the tenant's name, while a client keeps asking acme.
        using var probe = new HealthProbeLoop(fleet.Client("acme"));
        var card = browser.Driver.FindElement(By.Id("tenant-production-acme"));
        card.FindElement(By.XPath(".//summary[contains(., 'Roll back acme')]")).Click();
        card.FindElement(By.CssSelector("select[name=to] option:checked")).Text.ShouldContain("1.0.0");
        card.FindElement(By.CssSelector("form[action='/actions/rollback'] input[name=confirm]")).SendKeys("acme");
        card.FindElement(By.CssSelector("form[action='/actions/rollback'] button[type=submit]")).Click();
        await browser.UntilAsync(d => Versions(d).GetValueOrDefault("acme") == "1.0.0" && d.FindElement(By.Id("actions")).Text.Contains(": succeeded"), PageUpdate,
            "acme back on 1.0.0 and the action's success");
        var statuses = await probe.StopAsync();

        statuses.Count.ShouldBeGreaterThan(10);
        statuses.Where(s => s != 200).ShouldBeEmpty($"non-200 answers while rolling back: {string.Join(", ", statuses.Where(s => s != 200).Distinct())}");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        var history = await fleet.StorageCtlAsync("history", "production", "--tenant", "acme");
        history.ExitCode.ShouldBe(0, history.ToString());
        history.Output.Split('\n')[1].ShouldMatch(@"acme\s+host-a\s+rollback\s+2\.0\.0 -> 1\.0\.0\s+succeeded\s+e2e-test \(dashboard\)");

        await browser.UntilAsync(d => d.FindElement(By.CssSelector("#env-production table.fleet tbody tr td[data-label=Lock]")).Text == "free", PageUpdate,
            "acme's lock released");
        browser.Driver.ExecuteScript("window.scrollTo(0, 0)");
        var screenshot = browser.Screenshot("dashboard-1280x800");
        new FileInfo(screenshot).Length.ShouldBeGreaterThan(10_000);

        // The actions are reachable by keyboard alone: Tab to acme's rollback (forward to 2.0.0 now), Enter opens its form.
        browser.Driver.Navigate().Refresh();
        var keyboard = new OpenQA.Selenium.Interactions.Actions(browser.Driver);
        var reached = false;
        for (var tab = 0; tab < 60 && !reached; tab++)
        {
            keyboard.SendKeys(Keys.Tab).Perform();
            reached = browser.Driver.SwitchTo().ActiveElement().Text.Contains("Roll back acme");
        }
        reached.ShouldBeTrue("Tab never reached acme's rollback");
        keyboard.SendKeys(Keys.Enter).Perform();
        browser.Driver.FindElements(By.CssSelector("#tenant-production-acme details[open] input[name=confirm]")).ShouldHaveSingleItem();

        // A phone's width: everything stacks, nothing needs sideways scrolling.
        browser.Resize(390, 844);
        browser.Driver.Navigate().Refresh();
        Convert.ToInt64(browser.Driver.ExecuteScript("return document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
        browser.Driver.FindElement(By.Id("env-production")).Text.ShouldContain("acme");
        browser.Screenshot("dashboard-phone");
    }

    /// <summary>Tenant to version, from the page's fleet table (the first word of the version cell; the sha256 follows it).</summary>
    private static Dictionary<string, string> Versions(IWebDriver driver) =>
        driver.FindElements(By.CssSelector("#env-production table.fleet tbody tr"))
            .Select(row => row.FindElements(By.TagName("td")).Select(c => c.Text).ToList())
            .Where(cells => cells.Count > 2).ToDictionary(cells => cells[0], cells => cells[2].Split(' ')[0]);

    /// <summary>GET /health/live through nginx back to back, keeping every status (0 for a failed connection).</summary>
    private sealed class HealthProbeLoop : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<int> _statuses = new();
        private readonly Task _loop;
        private readonly HttpClient _client;

        public HealthProbeLoop(HttpClient client)
        {
            _client = client;
            _loop = Task.Run(async () =>
            {
                for (var i = 0; i < 20_000 && !_stop.IsCancellationRequested; i++)
                {
                    try { _statuses.Enqueue((int)(await _client.GetAsync("/health/live")).StatusCode); }
                    catch (HttpRequestException) { _statuses.Enqueue(0); }
                    await Task.Delay(20);
                }
            });
        }

        public async Task<IReadOnlyList<int>> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return [.. _statuses];
        }

        public void Dispose()
        {
            _stop.Cancel();
            _client.Dispose();
        }
    }
}
