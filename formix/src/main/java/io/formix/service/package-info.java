/**
 * The operations of Formix between the command line and the runtime: {@link io.formix.service.HomeService},
 * {@link io.formix.service.NetworkService}, {@link io.formix.service.NodeService} (which starts and stops host
 * processes), {@link io.formix.service.HostService} (what a host process runs) and
 * {@link io.formix.service.ComputationService}, each taking a {@link java.time.Clock}; they return view records
 * that {@code --json} prints through Jackson ({@link io.formix.service.Views}) and fail with a
 * {@link io.formix.service.ServiceException} of a {@link io.formix.service.ServiceException.Kind}.
 */
package io.formix.service;
