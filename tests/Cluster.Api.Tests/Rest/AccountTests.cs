using Cluster.Api.Account;
using Cluster.Api.Auth;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Tests.Rest;

/// <summary>GET /api/v1/me: the caller as the token names them.</summary>
public sealed class AccountTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task MeAnswersTheTokensSubjectAndRole()
    {
        Assert.Equal(new Me(DemoUsers.Alice.UserId, "patient"), await _org.ClientFor(DemoUsers.Alice).GetOkAsync<Me>("/api/v1/me"));
        Assert.Equal(new Me(DemoUsers.Nurse.UserId, "clinician"), await _org.ClientFor(DemoUsers.Nurse).GetOkAsync<Me>("/api/v1/me"));
        Assert.Equal(new Me("someone-new", "proxy"), await _org.ClientFor("someone-new", UserRole.Proxy).GetOkAsync<Me>("/api/v1/me"));
    }
}
