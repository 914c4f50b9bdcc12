using Cluster.Api.Hosting;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Hosting;

/// <summary>Development tokens (anyone can become any demo user) exist only on the embedded single node, never in a cluster.</summary>
public sealed class EmbeddedOnlyDevTokens(IOptions<ClusterOptions> cluster) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        options.DevTokens && cluster.Value.Storage.Provider != StorageProvider.Sqlite
            ? ValidateOptionsResult.Fail("Auth:DevTokens must be false outside the embedded profile (Cluster:Storage:Provider=Sqlite); configure Auth:SigningKey instead.")
            : ValidateOptionsResult.Success;
}
