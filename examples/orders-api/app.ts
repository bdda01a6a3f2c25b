// `npx cdk synth` (see cdk.json) or `npx tsx app.ts`: synthesizes the orders API into cdk.out/,
// offline. Override the settings with `npx cdk synth -c orders-api:apiDomain=https://…`.
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { OrdersApiStack } from './stack.js';

const DEFAULTS = {
  apiDomain: 'https://api.orders.example.com',
  websiteDomain: 'https://shop.example.com',
  supertokensConnectionUri: 'https://core.example.com',
};

// `cdk synth` says where to write (CDK_OUTDIR); run directly, the app writes ./cdk.out too.
const app = new App({ outdir: process.env.CDK_OUTDIR ?? fileURLToPath(new URL('./cdk.out', import.meta.url)) });
const setting = (name: keyof typeof DEFAULTS): string => {
  const value: unknown = app.node.tryGetContext(`orders-api:${name}`);
  return typeof value === 'string' && value !== '' ? value : DEFAULTS[name];
};
new OrdersApiStack(app, 'OrdersApi', {
  apiDomain: setting('apiDomain'),
  websiteDomain: setting('websiteDomain'),
  supertokensConnectionUri: setting('supertokensConnectionUri'),
});
app.synth();
