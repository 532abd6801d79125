/** Workday routes: `https://workday.com/api/v1` → `/api/v1/...` on loopback. */
import type { ServiceDefinition } from '../http.ts';
import { badRequest, notFound, queryString } from '../args.ts';
import type { WorkdayData } from '../data/workday.ts';

const P = '/api/v1';

export function workdayService(data: WorkdayData): ServiceDefinition {
  const employee = (id: string) => {
    const emp = data.employees.find((e) => e.id === id);
    if (!emp) throw notFound('employee', id);
    return emp;
  };
  return {
    service: 'workday',
    host: 'workday.com',
    routes: [
      {
        method: 'GET', path: `${P}/employees`,
        handler: ({ query }) => {
          const department = query.get('department');
          const employees = department === null || department === ''
            ? data.employees
            : data.employees.filter((e) => e.department.toLowerCase() === department.toLowerCase());
          return { body: { employees, total: employees.length } };
        },
      },
      { method: 'GET', path: `${P}/employees/{employeeId}`, handler: ({ params }) => ({ body: employee(params.employeeId) }) },
      {
        method: 'GET', path: `${P}/employees/{employeeId}/compensation`,
        handler: ({ params }) => {
          const emp = employee(params.employeeId);
          const comp = data.compensation.get(emp.id);
          if (!comp) throw notFound('compensation record for employee', emp.id);
          return { body: { ...comp, employeeName: emp.name } };
        },
      },
      {
        method: 'GET', path: `${P}/performance-reviews`,
        handler: ({ query }) => {
          const quarter = queryString(query, 'quarter');
          if (!/^\d{4}-Q[1-4]$/.test(quarter)) throw badRequest(`"quarter" must look like 2026-Q1, got "${quarter}"`);
          const reviews = data.reviews.filter((r) => r.quarter === quarter);
          return { body: { quarter, reviews, total: reviews.length } };
        },
      },
    ],
  };
}
