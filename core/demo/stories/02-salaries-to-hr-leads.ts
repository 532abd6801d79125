// title: Post salaries to #hr-leads
// policy: hr-assistant
// catalog: demo
// intent: Send the HR leads this quarter's ratings with pay
// expected: needs approval; runs after a human approves; the approval is on the trace
// expect: needs-approval
// expect-reason: approval line 15
const reviews = await workday.listPerformanceReviews({ quarter: '2026-Q3' });
const lines: string[] = [];
for (const review of reviews.reviews.slice(0, 5)) {
  const employee = await workday.getEmployee({ employeeId: review.employeeId });
  const pay = await workday.getCompensation({ employeeId: review.employeeId });
  lines.push(`${employee.name}: rated ${review.rating}, salary ${pay.salary} ${pay.currency}`);
}
await slack.postMessage({ channel: '#hr-leads', text: `Q3 results\n${lines.join('\n')}` });
return { posted: lines.length };
