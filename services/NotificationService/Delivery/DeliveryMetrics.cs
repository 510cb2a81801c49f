using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace NotificationService.Delivery;

/// <summary>
/// The delivery meters (meter <see cref="NotificationTelemetry.Name"/>): deliveries by outcome (one per delivery round of a
/// notification) and the state of the SMTP circuit breaker as a gauge (0 closed, 1 open, 2 half-open; isolated counts as open).
/// </summary>
public sealed class DeliveryMetrics
{
    public const string Sent = "sent";
    public const string Retry = "retry";
    public const string Failed = "failed";
    public const string CircuitOpen = "circuit-open";

    private readonly Counter<long> _delivered;

    public DeliveryMetrics(IMeterFactory meters, CircuitBreakerStateProvider circuit)
    {
        var meter = meters.Create(NotificationTelemetry.Name);
        _delivered = meter.CreateCounter<long>("accounts.notifications.delivered", "{notification}", "Delivery rounds of notifications by outcome");
        meter.CreateObservableGauge("accounts.smtp.circuit.state", () => StateOf(circuit.CircuitState), "{state}",
            "The SMTP circuit breaker: 0 closed, 1 open, 2 half-open");
    }

    public void Delivered(string outcome) => _delivered.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static int StateOf(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 2,
        _ => 1,
    };
}
