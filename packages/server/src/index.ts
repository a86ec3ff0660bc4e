export { createApp } from './app/create-app.js';
export type { CreateAppOptions, LumioApp } from './app/create-app.js';
export { loadConfig, ConfigError } from './config/config.js';
export type { Config, ConfigOverrides } from './config/config.js';
export { startServer } from './cli/start-server.js';
export { LumioError } from './errors/lumio-error.js';
