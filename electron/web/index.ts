export {
  startWebServer,
  generateToken,
  CONTENT_SECURITY_POLICY,
  DEFAULT_MAX_BODY_BYTES,
  LOOPBACK_HOST,
  TOKEN_HEADER,
  type WebServer,
  type WebServerOptions,
} from './server';
