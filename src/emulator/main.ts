import { createDemoDataset } from './dataset/generate.js';
import { parseFaultRules } from './faults-schema.js';
import { startEmulatorServer } from './server.js';
import { demoTokenClaims, mintUnsignedToken } from './tokens.js';

// `npm run emulator`: the only file here that reads process.env or handles signals.

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  }
  return value;
}

async function main(): Promise<void> {
  const perMinute = intEnv('EMULATOR_RATE_PER_MINUTE', 100);
  const perHour = intEnv('EMULATOR_RATE_PER_HOUR', 1500);
  const quotas = [
    ...(perMinute > 0 ? [{ limit: perMinute, windowMs: 60_000 }] : []),
    ...(perHour > 0 ? [{ limit: perHour, windowMs: 3_600_000 }] : []),
  ];
  // JSON array of fault rules (src/emulator/faults.ts), e.g.
  // [{"match":{"route":"software.getmissingkbs"},"fault":{"kind":"storm","retryAfterSeconds":30}}]
  const faults = parseFaultRules(process.env.EMULATOR_FAULTS?.trim() || '[]');
  const running = await startEmulatorServer({
    port: intEnv('PORT', intEnv('EMULATOR_PORT', 4010)),
    host: '127.0.0.1',
    latencyMs: intEnv('EMULATOR_LATENCY_MS', 0),
    quotas,
    dataset: createDemoDataset({ seed: intEnv('EMULATOR_SEED', 42) }),
    faults,
  });
  console.log(`Defender emulator listening on ${running.url} — set DEFENDER_API_URL to this`);
  if (faults.length > 0) console.log(`${faults.length} fault rule(s) from EMULATOR_FAULTS are active`);
  console.log(`Demo bearer (1 h): Authorization: Bearer ${mintUnsignedToken(demoTokenClaims())}`);
  const shutdown = (): void => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
