import { printSubgraphSchema } from '@apollo/subgraph';
import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';

/** A device of the fixture fleet, as the inventory subgraph stores it. */
export interface FleetDevice {
  id: string;
  name: string;
  /** Software ids installed on the device; the software subgraph owns everything else about them. */
  installedSoftwareIds: readonly string[];
}

/** A software id Defender does not know, so the software subgraph must answer null + NOT_FOUND. */
export const UNKNOWN_SOFTWARE_ID = 'contoso-_-unknown';

/**
 * The fixed fleet. Ids repeat across devices (edge ×2, chrome ×2, windows_10 ×2, unknown ×2) so the
 * gateway test can prove repeats cost the software subgraph nothing extra, and the unknown id sits on
 * two devices so one failing entity must not wipe out either device's known software.
 */
export const FLEET: readonly FleetDevice[] = [
  {
    id: 'dev-1',
    name: 'alpha',
    installedSoftwareIds: ['microsoft-_-edge', 'google-_-chrome', 'microsoft-_-windows_10'],
  },
  {
    id: 'dev-2',
    name: 'beta',
    installedSoftwareIds: ['microsoft-_-windows_10', UNKNOWN_SOFTWARE_ID, 'mozilla-_-firefox'],
  },
  {
    id: 'dev-3',
    name: 'gamma',
    installedSoftwareIds: ['google-_-chrome', 'microsoft-_-edge', UNKNOWN_SOFTWARE_ID],
  },
];

// A second builder is safe here only because plugin-scope-auth is imported nowhere in the program:
// once it is, every SchemaBuilder in the TS program must pass `scopeAuth` (toolchain.md §2).
const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({
  plugins: [DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
});

// `resolvable: false`: this subgraph only hands out Software keys; the software subgraph resolves them.
const Software = builder
  .externalRef('Software', builder.keyDirective(builder.selection<{ id: string }>('id'), false))
  .implement({ fields: (t) => ({ id: t.exposeID('id') }) });

const Device = builder.objectRef<FleetDevice>('Device').implement({
  description: 'A managed device of the fixture fleet.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    // Nullable items: an id the software subgraph cannot resolve nulls that item only, not the device
    // (a `[Software!]!` list would propagate the null up to the whole `devices` list).
    installedSoftware: t.field({
      type: [Software],
      nullable: { list: false, items: true },
      resolve: (device) => device.installedSoftwareIds.map((id) => ({ id })),
    }),
  }),
});

builder.asEntity(Device, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref) => FLEET.find((device) => device.id === ref.id) ?? null,
});

builder.queryType({
  fields: (t) => ({
    devices: t.field({ type: [Device], resolve: () => [...FLEET] }),
  }),
});

/** The inventory fixture's executable subgraph schema. */
export const inventorySchema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  // Pothos marks an externalRef with `@extends`, so it must be imported next to `@key`.
  federationDirectives: ['@key', '@extends'],
});

/** The inventory subgraph SDL with federation directives, as composition consumes it. */
export const inventorySdl = printSubgraphSchema(inventorySchema);

/**
 * The inventory subgraph as a yoga app (no socket), counting the operations it receives so tests can
 * tell the gateway really routed through it.
 */
export function createInventoryApp(): { app: YogaServerInstance<object, object>; operations: string[] } {
  const operations: string[] = [];
  const record: Plugin = {
    onExecute: ({ args }) => void operations.push(String(args.document.loc?.source.body ?? '')),
  };
  const app = createYoga({
    schema: inventorySchema,
    landingPage: false,
    graphiql: false,
    plugins: [record],
  });
  return { app, operations };
}
