namespace Cluster.Grains.Policies;

/// <summary>
/// Who a rate-limit refusal speaks to. A patient's limits count the messages of everyone acting for them, so
/// "You have sent 5 messages" is true only of a sender whose own messages filled the window.
/// </summary>
public enum RateLimitVoice
{
    /// <summary>The sender's own actions fill the window: "You have sent ...".</summary>
    Sender,

    /// <summary>A patient whose full window holds a proxy's actions: "Together, you and those acting for you have sent ...".</summary>
    PatientWithProxies,

    /// <summary>A proxy whose full window holds others' actions: "Together, this patient and those acting for them have sent ...".</summary>
    ProxyForPatient,
}
