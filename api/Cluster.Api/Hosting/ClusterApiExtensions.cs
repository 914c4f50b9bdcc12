using Cluster.Api.Account;
using Cluster.Api.Admin;
using Cluster.Api.Auth;
using Cluster.Api.CareTeams;
using Cluster.Api.Clinicians;
using Cluster.Api.Conversations;
using Cluster.Api.Errors;
using Cluster.Api.Input;
using Cluster.Api.LoadTesting;
using Cluster.Api.Patients;
using Cluster.Api.Realtime;
using Cluster.Api.Sync;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cluster.Api.Hosting;

public static class ClusterApiExtensions
{
    /// <summary>Adds authentication, the REST API, the hub and their limits, configured from "Api" and "Auth".</summary>
    public static IServiceCollection AddClusterApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddOptions<MessageCaps>().Bind(configuration.GetSection(MessageCaps.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, ApiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SigningKey>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<DeliveryCheck>();
        services.AddSingleton<ConnectionFeeds>();
        services.AddSingleton<TypingThrottle>();
        services.AddSingleton<CatchUp>();
        services.AddSingleton<HubCallLimiter>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json => StrictJson.Apply(json.SerializerOptions));
        // Unreadable bodies throw, so the exception handler answers with a problem document instead of an empty 400.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddExceptionHandler<RuntimeExceptionHandler>();
        services.AddOpenApi();
        AddAuthentication(services);
        services.AddSignalR(hub =>
        {
            hub.EnableDetailedErrors = false;
            hub.AddFilter<HubCallLimiter>();
        }).AddJsonProtocol(json =>
        {
            StrictJson.Apply(json.PayloadSerializerOptions);
            json.PayloadSerializerOptions.Converters.Add(new HubArgumentsConverter());
        });
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol, FrameLimitedProtocol>();
        services.AddSingleton<HubLifetimeManager<MessagingHub>, ReconnectOnShutdown<MessagingHub>>();
        // One byte above the frame limit, so that FrameLimitedProtocol refuses first, with a reason the client sees.
        services.AddOptions<HubOptions>().Configure<IOptions<ApiOptions>, IOptions<MessageCaps>>((hub, api, caps) => hub.MaximumReceiveMessageSize = api.Value.HubFrameBytes(caps.Value) + 1);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>, IOptions<MessageCaps>>((kestrel, api, caps) => kestrel.Limits.MaxRequestBodySize = api.Value.RequestBodyBytes(caps.Value));
        services.AddHostedService<DemoSeeder>();

        return services;
    }

    /// <summary>Maps the API under /api/v1, the hub, the OpenAPI document and, with dev tokens, /dev/token.</summary>
    public static WebApplication MapClusterApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<HostPolicy>();
        app.UseMiddleware<RequestBodyPolicy>();
        app.UseMiddleware<OriginPolicy>();
        app.UseAuthentication();
        app.UseAuthorization();
        var api = app.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<RetryAfterFilter>();
        api.MapConversations().MapCareTeams().MapClinicians().MapPatients().MapSync().MapAdmin().MapAccount();
        var frameBytes = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.HubFrameBytes(app.Services.GetRequiredService<IOptions<MessageCaps>>().Value);
        app.MapHub<MessagingHub>(HubNames.Path, hub =>
        {
            hub.Transports = HttpTransportType.WebSockets;
            // The transport holds back once this much is unread; below the frame limit, a large frame would never complete.
            hub.ApplicationMaxBufferSize = frameBytes + 64 * 1024;
            // An expired session must stop receiving patient data, not only stop making calls.
            hub.CloseOnAuthenticationExpiration = true;
        });
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.DevTokens)
        {
            app.MapDevTokens();
        }

        if (app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.LoadTestEndpoints)
        {
            app.MapLoadTestEndpoints();
        }

        return app;
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKey, IOptions<AuthOptions>>((jwt, key, auth) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = auth.Value.Issuer,
                ValidAudience = auth.Value.Audience,
                IssuerSigningKey = key.Key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                NameClaimType = ActorClaims.Subject,
                RoleClaimType = ActorClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            jwt.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on a WebSocket, so the hub (and only the hub) takes the token from the query.
                OnMessageReceived = context =>
                {
                    if (IsHub(context.HttpContext.Request.Path) && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    if (context.Principal is null || !ActorClaims.TryGetActor(context.Principal, out _))
                    {
                        context.Fail("The token names no single subject and known role.");
                    }

                    return Task.CompletedTask;
                },
                // A refused token gets a problem document, like every other error, instead of an empty 401.
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await ProblemResults.Create(StatusCodes.Status401Unauthorized, "unauthenticated",
                        "Sign in again: the request has no valid access token.").ExecuteAsync(context.HttpContext);
                },
            };
        });
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    private static bool IsHub(PathString path) => path.StartsWithSegments(HubNames.Path) || path.StartsWithSegments(EchoHub.Path);
}
