import './shared/zod-config.ts'; // before any module that builds a schema
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { router } from './app/router.tsx';
import { getLang, LanguageProvider } from './shared/i18n.ts';
import { LiveProvider } from './shared/live.ts';
import { MeProvider } from './shared/me.tsx';
import { makeQueryClient } from './shared/query.ts';
import './shared/styles.css';

document.documentElement.lang = getLang();

const queryClient = makeQueryClient();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LanguageProvider>
        <MeProvider>
          <LiveProvider>
            <RouterProvider router={router} />
          </LiveProvider>
        </MeProvider>
      </LanguageProvider>
    </QueryClientProvider>
  </StrictMode>,
);
