import {
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Optional OpenTelemetry spans: one per GraphQL operation (continuing an incoming `traceparent`)
 * and one per upstream call beneath it. Off by default; when off, none of this runs on the hot
 * path. The exporter is set up by the process (see startTracing), so that tests can register an
 * in-memory one instead.
 */

export const TRACER_NAME = 'jobs-gateway';

function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** A span around each GraphQL execution, the parent of the upstream call spans. */
export function useTracing(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      const carrier: Record<string, string> = {};
      request?.headers.forEach((value, key) => {
        if (key === 'traceparent' || key === 'tracestate') carrier[key] = value;
      });
      const parent = propagation.extract(context.active(), carrier);
      const name = getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous';
      const span = tracer().startSpan(
        `graphql ${name}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'graphql.operation.name': name },
        },
        parent,
      );
      const active = trace.setSpan(parent, span);
      setExecuteFn((executeArgs) => context.with(active, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? (result.errors ?? []) : [];
          if (errors.length > 0) {
            span.setAttribute(
              'graphql.error.codes',
              errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')),
            );
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
  };
}

/** Runs `call` inside a client span named after the upstream operation. */
export function traceUpstreamCall<T>(
  source: string,
  operation: string,
  call: () => Promise<T>,
  attempts: () => number,
): Promise<T> {
  return tracer().startActiveSpan(
    `${source} ${operation}`,
    { kind: SpanKind.CLIENT, attributes: { 'upstream.source': source, 'rpc.method': operation } },
    async (span: Span) => {
      try {
        return await call();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string') span.setAttribute('upstream.error.code', code);
        throw error;
      } finally {
        span.setAttribute('upstream.attempts', attempts());
        span.end();
      }
    },
  );
}

export interface TracingSetup {
  /** Flushes spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/** Registers a tracer provider that exports over OTLP/HTTP (the standard OTEL_* variables). */
export async function startTracing(options: {
  readonly serviceName: string;
  readonly endpoint: string | undefined;
}): Promise<TracingSetup> {
  const [
    { NodeTracerProvider },
    { BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const exporter = new OTLPTraceExporter(options.endpoint ? { url: options.endpoint } : {});
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}
