using Storagectl.Dashboard;
using Storagectl.Hosts;

namespace Storagectl.Tests.Dashboard;

/// <summary>A tenant's traffic from its instances' counters: summed over its hosts, and never negative when a process restarts.</summary>
public sealed class RequestRatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Readings_three_seconds_apart_give_the_tenants_rate_and_5xx_share_over_its_hosts()
    {
        var rates = new RequestRates();
        rates.Add(T0, Readings(("acme", "a", 100, 0), ("acme", "b", 50, 1), ("globex", "a", 10, 0)));
        rates.Of("acme").ShouldBeEmpty(); // one reading is no rate yet

        rates.Add(T0.AddSeconds(3), Readings(("acme", "a", 130, 3), ("acme", "b", 56, 1), ("globex", "a", 13, 0)));

        var acme = rates.Of("acme").ShouldHaveSingleItem();
        acme.At.ShouldBe(T0.AddSeconds(3));
        acme.RequestsPerSecond.ShouldBe(12, 1e-9);   // (30 + 6) / 3 s
        acme.ErrorShare.ShouldBe(3.0 / 36, 1e-9);
        var globex = rates.Of("globex").ShouldHaveSingleItem();
        globex.RequestsPerSecond.ShouldBe(1, 1e-9);
        globex.ErrorShare.ShouldBe(0);
    }

    [Fact]
    public void A_counter_that_went_down_is_a_new_process_whose_count_is_the_change()
    {
        var rates = new RequestRates();
        rates.Add(T0, Readings(("acme", "a", 1000, 40), ("acme", "b", 50, 0)));
        // Host a restarted (a deploy): its counters start again from zero and read 10 and 1.
        rates.Add(T0.AddSeconds(3), Readings(("acme", "a", 10, 1), ("acme", "b", 56, 0)));

        var point = rates.Of("acme").ShouldHaveSingleItem();
        point.RequestsPerSecond.ShouldBe(16.0 / 3, 1e-9);
        point.ErrorShare.ShouldBe(1.0 / 16, 1e-9);
        rates.Of("acme").ShouldAllBe(p => p.RequestsPerSecond >= 0 && p.ErrorShare >= 0 && p.ErrorShare <= 1);
    }

    [Fact]
    public void Quiet_traffic_is_a_zero_rate_and_zero_share()
    {
        var rates = new RequestRates();
        rates.Add(T0, Readings(("acme", "a", 5, 5)));
        rates.Add(T0.AddSeconds(3), Readings(("acme", "a", 5, 5)));

        rates.Of("acme").ShouldHaveSingleItem().ShouldBe(new RatePoint(T0.AddSeconds(3), 0, 0));
    }

    [Fact]
    public void Only_the_last_readings_are_kept()
    {
        var rates = new RequestRates();
        for (var i = 0; i <= RequestRates.Kept + 5; i++) rates.Add(T0.AddSeconds(3 * i), Readings(("acme", "a", 3 * i, 0)));

        var series = rates.Of("acme");
        series.Count.ShouldBe(RequestRates.Kept);
        series[^1].At.ShouldBe(T0.AddSeconds(3 * (RequestRates.Kept + 5)));
        series.ShouldAllBe(p => Math.Abs(p.RequestsPerSecond - 1) < 1e-9);
    }

    private static Dictionary<(string Tenant, string Host), RequestCounts> Readings(params (string Tenant, string Host, double Requests, double Errors)[] readings) =>
        readings.ToDictionary(r => (r.Tenant, r.Host), r => new RequestCounts(r.Requests, r.Errors));
}
