namespace Cluster.Grains.Policies;

/// <summary>
/// Who a rate-limit refusal speaks to. A patient's limits count the messages of everyone acting for them, so
/// "You have sent 5 messages" is true only of a patient who acts alone.
/// </summary>
public enum RateLimitVoice
{
    /// <summary>The sender's own actions fill the window: "You have sent ...".</summary>
    Sender,

    /// <summary>A patient whose proxies' actions count too: "Together, you and those acting for you have sent ...".</summary>
    PatientWithProxies,

    /// <summary>A proxy acting for the patient whose window is full: "Together, this patient and those acting for them have sent ...".</summary>
    ProxyForPatient,
}
