using System.Reflection;

namespace Cluster.Grains;

/// <summary>Names this assembly so a silo can register its grain classes without naming any of them.</summary>
public static class GrainsAssembly
{
    public static Assembly Assembly => typeof(GrainsAssembly).Assembly;
}
