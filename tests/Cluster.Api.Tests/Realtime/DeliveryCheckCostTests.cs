using System.Collections.Concurrent;
using Cluster.Api.Hosting;
using Cluster.Api.Realtime;
using Cluster.Api.Sync;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Tests.Realtime;

/// <summary>
/// Delivery checks ask the grains once per conversation per batch (a Sync page, or the pushes queued for a connection),
/// and never carry an answer into the next batch: an access that ends applies from the next one.
/// </summary>
public sealed class DeliveryCheckCostTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task A_sync_page_with_many_events_of_one_conversation_asks_its_grain_once()
    {
        var patient = await _portal.NewPatientAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        for (var i = 1; i <= 4; i++)
        {
            (await patientHub.SendMessageAsync(conversation, $"Follow-up number {i} about my refill.")).Value();
        }

        var grains = new CountingGrains(factory.Services.GetRequiredService<IGrainFactory>());
        var page = await CatchUp(grains).ReadAsync(new Actor(patient, UserRole.Patient), 0, null, CancellationToken.None).WaitAsync(Timeout);

        Assert.True(page.Events.Count(e => e.IsAbout(conversation)) >= 6, $"{page.Events.Count} events");
        Assert.Equal(1, grains.Asked<IConversationGrain>(conversation));
    }

    [Fact]
    public async Task A_proxy_whose_access_ends_between_two_sync_pages_gets_nothing_of_the_conversation_in_the_second()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        var actor = new Actor(proxy, UserRole.Proxy);
        var catchUp = CatchUp(new CountingGrains(factory.Services.GetRequiredService<IGrainFactory>()));
        var before = await catchUp.ReadAsync(actor, 0, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.Contains(before.Events, e => e.IsAbout(conversation));

        await _portal.RevokeProxyAsync(patient, proxy);

        var after = await catchUp.ReadAsync(actor, 0, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.DoesNotContain(after.Events, e => e.IsAbout(conversation));
    }

    private CatchUp CatchUp(IGrainFactory grains) => new(
        factory.Services.GetRequiredService<IUserEventFeed>(), new DeliveryCheck(grains), factory.Services.GetRequiredService<IOptions<ApiOptions>>());

    /// <summary>Counts the grain references handed out, one per grain call the delivery check makes.</summary>
    private sealed class CountingGrains(IGrainFactory inner) : IGrainFactory
    {
        private readonly ConcurrentDictionary<(Type, string), int> _asked = new();

        public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
        {
            _asked.AddOrUpdate((typeof(TGrain), key), 1, (_, n) => n + 1);
            return inner.GetGrain<TGrain>(key);
        }

        public int Asked<TGrain>(string key) => _asked.GetValueOrDefault((typeof(TGrain), key));
    }
}
