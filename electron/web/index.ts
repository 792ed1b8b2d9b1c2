export { startWebServer, generateToken, DEFAULT_MAX_BODY_BYTES, LOOPBACK_HOST, TOKEN_HEADER, type WebServer, type WebServerOptions } from './server';
