/**
 * Every route module of the server, in the order they are registered. A module is a function that adds its routes
 * to the app with the shared context; it stays thin: parameters checked, a pipelines/ function called, an answer sent.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../http.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { homeRoutes } from './home.js';
import { catalogRoutes } from './catalog.js';
import { oaiRoutes } from './oai.js';
import { ogcRecordsRoutes } from './ogc-records.js';
import { openapiRoutes } from './openapi.js';
import { operatorRoutes } from './operators.js';
import { pageRoutes } from './pages.js';
import { searchRoutes } from './search.js';
import { serviceRoutes } from './service.js';
import { sitemapRoutes } from './sitemap.js';
import { validateRoutes } from './validate.js';

export type RouteModule = (app: FastifyInstance, ctx: ApiContext) => void | Promise<void>;

export const ROUTES: RouteModule[] = [
  homeRoutes,
  healthRoutes,
  openapiRoutes,
  searchRoutes,
  ogcRecordsRoutes,
  pageRoutes,
  sitemapRoutes,
  operatorRoutes,
  serviceRoutes,
  metricsRoutes,
  validateRoutes,
  oaiRoutes(),
  catalogRoutes(),
];
