// The orders API as a CDK stack: the HTTP API, its JWT authorizer and routes come from
// policies.yaml through ClaimguardHttpApi; the orders function ships the bundle compiled from the
// same policy (ClaimguardFunction); the SuperTokens auth function serves /auth/{proxy+}.
import { fileURLToPath } from 'node:url';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ClaimguardFunction, ClaimguardHttpApi } from 'claimguard/cdk';
import type { Construct } from 'constructs';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export interface OrdersApiStackProps extends StackProps {
  /** Where the API is served, without a trailing slash (a custom domain: no stage in the path). */
  readonly apiDomain: string;
  readonly websiteDomain: string;
  readonly supertokensConnectionUri: string;
}

// ESM output: claimguard and supertokens-node are ESM-first; CommonJS dependencies get `require`.
const bundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};

export class OrdersApiStack extends Stack {
  readonly api: ClaimguardHttpApi;
  readonly orders: ClaimguardFunction;

  constructor(scope: Construct, id: string, props: OrdersApiStackProps) {
    super(scope, id, props);
    const policies = here('./policies.yaml');

    this.orders = new ClaimguardFunction(this, 'Orders', {
      policies,
      entry: here('./handler.ts'),
      runtime: Runtime.NODEJS_22_X,
      memorySize: 256,
      bundling,
    });

    const auth = new NodejsFunction(this, 'Auth', {
      entry: here('./auth.ts'),
      runtime: Runtime.NODEJS_22_X,
      memorySize: 512,
      bundling,
      environment: {
        SUPERTOKENS_CONNECTION_URI: props.supertokensConnectionUri,
        API_DOMAIN: props.apiDomain,
        API_BASE_PATH: '/auth',
        WEBSITE_DOMAIN: props.websiteDomain,
      },
    });

    this.api = new ClaimguardHttpApi(this, 'Api', {
      policies,
      handlers: {},
      defaultHandler: this.orders,
      auth: { handler: auth, basePath: '/auth' },
      // SuperTokens' issuer: {apiDomain}{apiGatewayPath}{apiBasePath}; the policy pins none.
      issuer: `${props.apiDomain}/auth`,
      apiProps: {
        apiName: 'orders-api',
        corsPreflight: {
          allowOrigins: [props.websiteDomain],
          allowCredentials: true,
          allowHeaders: ['content-type', 'authorization', 'rid', 'fdi-version', 'anti-csrf', 'st-auth-mode'],
          exposeHeaders: ['front-token', 'st-access-token', 'st-refresh-token', 'anti-csrf'],
        },
      },
    });
    // The auth function stamps the authorizer's audience into every token it issues.
    auth.addEnvironment('CLAIMGUARD_AUDIENCE', this.api.plan.jwt!.audience[0]!);
  }
}
