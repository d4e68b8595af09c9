import Foundation
import Logging
import OTel
import ServiceLifecycle

/// OpenTelemetry traces for `launchq serve` and `launchq dev`, exported over OTLP/HTTP by swift-otel.
///
/// Off unless the environment asks for them (``isEnabled(_:)``); then only traces are bootstrapped (logs and metrics
/// stay launchq's own), configured by the standard `OTEL_*` variables (`OTEL_SERVICE_NAME` defaults to "launchq").
enum TracingSetup {
    /// Whether `environment` turns tracing on: `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
    /// is set, or `OTEL_TRACES_EXPORTER` is `otlp`; never when `OTEL_TRACES_EXPORTER` is anything else (`none`) or
    /// `OTEL_SDK_DISABLED=true`.
    static func isEnabled(_ environment: [String: String]) -> Bool {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value.lowercased()
        }
        if value("OTEL_SDK_DISABLED") == "true" { return false }
        switch value("OTEL_TRACES_EXPORTER") {
        case "otlp": return true
        case nil: return value("OTEL_EXPORTER_OTLP_ENDPOINT") != nil || value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != nil
        default: return false
        }
    }

    /// Bootstraps the process's tracer and returns the service that batches and exports spans (run it first in the
    /// service group, so it stops last and flushes what the others recorded); `nil`, and nothing bootstrapped, when
    /// tracing is off. Call once per process.
    /// - Throws: ``SettingsError`` (`invalid`) when the `OTEL_*` variables do not make a usable exporter.
    static func bootstrap(environment: [String: String], logger: Logger) throws -> (any Service)? {
        guard isEnabled(environment) else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "launchq"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        // OTEL_SDK_DISABLED=false would switch logs and metrics back on (both are bootstrapped by launchq already).
        var forOTel = environment
        forOTel["OTEL_SDK_DISABLED"] = nil
        do {
            return try OTel.bootstrap(configuration: configuration, environment: forOTel)
        } catch {
            throw SettingsError(.invalid, "the OTEL_* settings do not make a trace exporter: \(error)")
        }
    }
}
