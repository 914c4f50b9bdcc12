# The silo node. Build: docker build -t cluster-silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish silo/Cluster.Silo -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Configuration comes from the environment only (see docker-compose.yml and README).
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_gcServer=1
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Cluster.Silo.dll"]
