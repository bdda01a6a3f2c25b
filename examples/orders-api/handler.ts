// The orders API Lambda: claimguard decides, the handler only does business logic.
// Deployed behind an HTTP API JWT authorizer (see README.md), with dist/bundle.tar.gz in the package.
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { withAuthorization } from 'claimguard/lambda';

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const handler = withAuthorization<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>(
  async (event, _context, decision) => {
    // Only reached on allow. `decision.route` is the policy route that matched; `decision.token`
    // the (decoded, cross-checked) access-token payload, null on public routes.
    const orderId = event.pathParameters?.orderId;
    switch (decision.route) {
      case 'GET /health':
        return json(200, { status: 'ok' });
      case 'GET /orders/{orderId}':
        return json(200, { orderId, customer: decision.token?.sub });
      case 'DELETE /orders/{orderId}':
        return { statusCode: 204 };
      default:
        return json(404, { message: 'not found' });
    }
  },
  {
    // Default: dist/bundle.tar.gz under LAMBDA_TASK_ROOT (the unzipped package, /var/task).
    bundle: process.env.CLAIMGUARD_BUNDLE ?? 'dist/bundle.tar.gz',
    // Pin the reviewed artifact: `claimguard build` prints the revision.
    ...(process.env.CLAIMGUARD_REVISION ? { expectedRevision: process.env.CLAIMGUARD_REVISION } : {}),
    log: { include: ['sub', 'tId'] },
  },
);
