using System.Security.Cryptography;
using System.Text;
using Cluster.Api.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cluster.Api.Auth;

/// <summary>The key tokens are signed and checked with: the configured one, or with dev tokens and none configured, one made for this process.</summary>
public sealed class SigningKey(IOptions<AuthOptions> options)
{
    public SymmetricSecurityKey Key { get; } = new(options.Value.SigningKey.Length > 0
        ? Encoding.UTF8.GetBytes(options.Value.SigningKey)
        : RandomNumberGenerator.GetBytes(32));
}
