using System.Text;

namespace Cluster.LoadTests.Reports;

/// <summary>Escapes text for HTML and XML alike (element content and quoted attributes).</summary>
internal static class Html
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";

        var escaped = new StringBuilder(value.Length + 16);
        foreach (var character in value)
        {
            switch (character)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                // Control characters other than tab and line breaks are not allowed in XML at all.
                case < ' ' and not ('\t' or '\n' or '\r'): escaped.Append('\uFFFD'); break;
                default: escaped.Append(character); break;
            }
        }

        return escaped.ToString();
    }
}
